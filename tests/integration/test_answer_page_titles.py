"""The answer pages (the form an owner opens from a mail, its thanks, its refusals) carry the
programme's short title in the browser's title and the header, as the mails' subjects and the
office's pages do; the full title is shown once, in the text. A plan without a short title
keeps its title."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from regie.bootstrap import App
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import FIRST_DAY, link_app, queue_and_send
from tests.integration.test_web_item_page import visible
from web.app import create_app

SHORT = "Fietsroutes"
FULL = "Programma Veilige Fietsroutes"


def _parts(html: str) -> tuple[str, str, str]:
    """(the <title>, the header's site name, the main text) as a reader sees them."""
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    site = re.search(r'<p class="site-name">(.*?)</p>', html, re.S)
    main = re.search(r"<main\b.*?>(.*?)</main>", html, re.S)
    assert title and site and main, html
    return visible(title.group(1)), visible(site.group(1)), visible(main.group(1))


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_answer_pages_show_the_short_title_and_the_full_title_once(
    migrated_url: str, tmp_path: Path
) -> None:
    app = link_app(migrated_url, tmp_path)
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app), raise_server_exceptions=True)
    form = web.get(f"/antwoord/{token}")
    done = web.post(
        f"/antwoord/{token}",
        data={
            "status": "at_risk",
            "note": "Wacht op de aanbesteding",
            "csrf_token": _csrf(form.text),
        },
    )
    used = web.get(f"/antwoord/{token}")
    unknown = web.get(f"/antwoord/{'A' * 22}.{'B' * 22}")
    pages = {"form": form, "done": done, "used": used, "unknown": unknown}
    assert [p.status_code for p in pages.values()] == [200, 200, 409, 404]
    for name, page in pages.items():
        title, site, main = _parts(page.text)
        assert title.endswith(f" – {SHORT}"), (name, title)
        assert FULL not in title, (name, title)
        assert site == SHORT, (name, site)
        assert main.count(FULL) == 1, (name, main)
    # walk55b 7: the label "Programma" and the title without its own "Programma" (the mails'
    # rule), not "Programma Programma Veilige Fietsroutes".
    for page in (form, done):
        assert "<dt>Programma</dt><dd>Veilige Fietsroutes</dd>" in page.text
        assert "Programma Programma" not in _parts(page.text)[2]


def test_without_a_short_title_the_title_is_used(migrated_url: str, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    text = ANSWERS_PLAN.read_text(encoding="utf-8")
    assert f"  short_title: {SHORT}\n" in text
    plan.write_text(text.replace(f"  short_title: {SHORT}\n", ""), encoding="utf-8")
    app: App = link_app(migrated_url, tmp_path / "home", plan)
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    page = TestClient(create_app(app)).get(f"/antwoord/{token}")
    assert page.status_code == 200
    title, site, _ = _parts(page.text)
    assert title == f"Update geven – {FULL}" and site == FULL


def test_an_iso_gereed_gets_its_deadline_in_words_on_the_form(
    migrated_url: str, tmp_path: Path
) -> None:
    """walk55b 6: "Gereed 2025-06-30" said nothing more; the form says the date in words, as
    the mails and Slack do (a *gereed* written "30 juni 2025" needs no repeat)."""
    plan = tmp_path / "plan.yaml"
    text = ANSWERS_PLAN.read_text(encoding="utf-8")
    assert text.count("gereed: Q2-2025\n") == 1  # 1.1.1, deadline 30 June 2025
    plan.write_text(text.replace("gereed: Q2-2025\n", "gereed: 2025-06-30\n"), encoding="utf-8")
    app: App = link_app(migrated_url, tmp_path / "home", plan)
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    page = TestClient(create_app(app)).get(f"/antwoord/{token}")
    assert page.status_code == 200
    assert "<dt>Gereed</dt><dd>2025-06-30 (deadline 30 juni 2025)</dd>" in page.text
