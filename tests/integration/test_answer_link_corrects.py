"""The answer form's "Wijzigen" (the correction link on the thank-you page) records which answer
it changes (walk28 #12): the new update ``corrects`` it, unless someone answered since (the
change is then a new update, as any other)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from governance.answers import OFFICE, AnswerInput
from regie.answers import record_answer
from regie.bootstrap import App
from store import Repository
from tests.integration.link_setup import link_app
from tests.integration.test_answer_standing import LATER, anna_link, client, csrf, today


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return link_app(migrated_url, tmp_path)


def chain(app: App) -> list[tuple[int | None, str, int | None]]:
    with app.session() as session:
        found = Repository(session, "wegen-test").status_updates()
    return [(u.id, u.status.value, u.corrects) for u in found]


def answer_then_open_the_correction(app: App) -> tuple[str, str, str]:
    """Anna answers through her link; the correction link and its form's CSRF token."""
    item, token = anna_link(app)
    web = client(app)
    form = web.get(f"/antwoord/{token}")
    done = web.post(
        f"/antwoord/{token}",
        data={"status": "on_track", "forecast": LATER, "csrf_token": csrf(form.text)},
    )
    assert done.status_code == 200
    (correction,) = re.findall(r'id="wijzigen" href="/antwoord/([^"]+)"', done.text)
    page = web.get(f"/antwoord/{correction}")
    assert page.status_code == 200
    return item, correction, csrf(page.text)


def test_the_correction_link_records_the_answer_it_corrects(app: App) -> None:
    _, correction, token = answer_then_open_the_correction(app)
    fixed = client(app).post(
        f"/antwoord/{correction}",
        data={"status": "at_risk", "note": "Toch risico", "csrf_token": token},
    )
    assert fixed.status_code == 200
    assert chain(app) == [(1, "on_track", None), (2, "at_risk", 1)]


def test_a_change_after_someone_else_answered_corrects_nothing(app: App) -> None:
    item, correction, token = answer_then_open_the_correction(app)
    record_answer(app, AnswerInput(item, "at_risk", note="Bureau"), OFFICE, channel="cli",
                  as_of=today())  # fmt: skip
    fixed = client(app).post(
        f"/antwoord/{correction}",
        data={"status": "on_track", "forecast": LATER, "csrf_token": token},
    )
    assert fixed.status_code == 200
    assert chain(app) == [(1, "on_track", None), (2, "at_risk", None), (3, "on_track", None)]
