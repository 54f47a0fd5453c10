"""The owner's and the office's pages end with the programme's own title, not the seed's
"plan van aanpak" (walk30 12): a plan may call itself an actieplan. SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.integration.link_setup import link_app
from tests.integration.test_answer_standing import anna_link, client


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return link_app(migrated_url, tmp_path)


def test_the_footer_names_the_programme_by_its_own_title(app: App) -> None:
    _, token = anna_link(app)
    web = client(app)
    for page in (web.get(f"/antwoord/{token}").text, web.get("/inloggen").text):
        footer = re.search(r"<footer\b.*?</footer>", page, re.S)
        assert footer is not None
        assert "plan van aanpak" not in footer.group(0)
        # Its own title, without the "Programma " the footer's own words say (walk54b 4).
        assert "het programma „Veilige Fietsroutes”" in footer.group(0)
