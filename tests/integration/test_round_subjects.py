"""Every status round message's subject is one clean line (walk33 8): no double space, none at
either end, whatever optional words its template leaves out; and the mail says it so."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from notifications.file_outbox import to_email
from notifications.render import render
from regie.bootstrap import App
from regie.mapping import message_from_outbox
from regie.rounds import run_round_day
from store import Repository
from tests.integration.link_setup import link_app

START = date(2025, 6, 2)  # a Monday
ANSWER_BY = date(2025, 6, 20)  # a Friday


def _clean(subject: str) -> bool:
    return subject == subject.strip() and "  " not in subject and "\n" not in subject


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return link_app(migrated_url, tmp_path)


def test_the_subjects_of_a_round_s_request_chase_and_summary_are_clean(app: App) -> None:
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    run_round_day(app, date(2025, 6, 19))  # a chase day
    run_round_day(app, ANSWER_BY)  # the office's summary
    with app.session() as session:
        records = Repository(session, app.load_plan().programme.id).outbox()
    kinds = {r.kind for r in records}
    assert {"round_request", "round_chase", "round_summary"} <= kinds
    for record in records:
        assert _clean(record.subject), record.subject
        mail = to_email(message_from_outbox(record))
        assert message_from_bytes(mail.as_bytes(), policy=policy.default)["Subject"] == (
            record.subject
        )


@pytest.mark.parametrize("kind", ["round_request", "round_chase", "round_summary"])
@pytest.mark.parametrize("answered", [0, 1, 2])
@pytest.mark.parametrize("short_title", ["Fietsroutes", None])
def test_the_round_subject_templates_render_clean(
    kind: str, answered: int, short_title: str | None
) -> None:
    # The templates alone, before header_text tidies what they give.
    subject = render(
        f"{kind}.subject.j2",
        programme={"id": "p", "title": "Programma Fietsroutes", "short_title": short_title},
        body={"id": "stuurgroep", "name": "Stuurgroep Fietsroutes"},
        round={"answer_by": ANSWER_BY},
        progress={"answered": answered, "items": max(answered, 1)},
    ).removesuffix("\n")  # the template file's last line end
    assert _clean(subject), repr(subject)


@pytest.mark.parametrize(
    ("after", "following"),
    [(date(2025, 6, 24), None), (None, None), (None, date(2025, 7, 10))],
)
@pytest.mark.parametrize("short_title", ["Fietsroutes", None])
def test_the_subject_of_a_round_meeting_change_is_clean(
    after: date | None, following: date | None, short_title: str | None
) -> None:
    # Rendered as regie.meeting_notices.round_notice does, before header_text tidies it.
    subject = render(
        "round_meeting_changed.subject.j2",
        programme={"id": "p", "title": "Programma Fietsroutes", "short_title": short_title},
        body={"id": "stuurgroep", "name": "Stuurgroep Fietsroutes"},
        round={
            "answer_by": ANSWER_BY,
            "before": date(2025, 6, 17),
            "after": after,
            "following": following,
        },
    ).removesuffix("\n")
    assert _clean(subject), repr(subject)
    assert subject.endswith("vóór 20 juni 2025")
    if following:  # walk46 11a: the meeting that is off, and the date that still holds
        assert "vergadering van 17 juni gaat niet door, antwoord nog steeds vóór" in subject
    else:
        assert subject.endswith("antwoord vóór 20 juni 2025")
