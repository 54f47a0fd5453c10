"""An extension of the programme (its ``end`` moved later in the plan file) is said (walk55d 7):
the sync's line names it and records an event, the next agenda pack (layout 20) lists it under
*sinds de vorige vergadering* and asks the body to accord it (layout 19 is made again without),
and the body's rule meetings it brings back are told to the members as regular meetings under
the longer programme, not as extra ones. The second programme (Fietsroutes) with a monthly
stuurgroep, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from governance.programme_end import END_CHANGED
from regie.bootstrap import App
from regie.meeting_notices import KIND
from regie.prepare import prepare_meetings
from regie.services import sync_store
from store import Repository
from store.models import EventRow
from tests.integration.answer_app import ANSWERS_PLAN, answers_app

LAYOUT_ONLY = pytest.mark.one_database(
    "the pack's and the notices' words, from SQL this file's other PostgreSQL tests run"
)

SCHEDULE = "    members: [GEM, PROV]\n"
#: The second Thursday of every month: 12 June, 10 July, 14 August, 11 September 2025, …
RULE = (
    '    meetings:\n      time: "10:00"\n      rule:\n        every: month\n'
    "        weekday: donderdag\n        nth: 2\n        start: 2025-01-01\n"
)
EDITED = datetime(2025, 6, 20, 9, tzinfo=UTC)


def _plan(path: Path, end: str) -> Path:
    text = ANSWERS_PLAN.read_text(encoding="utf-8")
    assert text.count("\n  end: 2027-12-31\n") == 1 and text.count(SCHEDULE) == 1
    text = text.replace("\n  end: 2027-12-31\n", f"\n  end: {end}\n")
    path.write_text(text.replace(SCHEDULE, SCHEDULE + RULE), encoding="utf-8")
    return path


def _sync(app: App, now: datetime) -> str:
    with app.session() as session, session.begin():
        return sync_store(app, session, app.load_plan(), now=now).describe()


def _extended(tmp_path: Path, url: str) -> tuple[App, str]:
    """The programme ending on 30 June 2025, its meeting days remembered on 1 May; extended
    to 31 December 2025 on 20 June (the sync's line returned)."""
    plan = _plan(tmp_path / "plan.yaml", "2025-06-30")
    app = answers_app(url, tmp_path / "home", plan)
    _sync(app, datetime(2025, 1, 2, 9, tzinfo=UTC))
    assert prepare_meetings(app, date(2025, 5, 1)).notices == []  # the days remembered
    _plan(plan, "2025-12-31")
    return app, _sync(app, EDITED)


def test_the_sync_says_the_new_end_and_records_an_event(tmp_path: Path, migrated_url: str) -> None:
    app, line = _extended(tmp_path, migrated_url)
    assert line == "1 changed; programme end 2025-06-30 → 2025-12-31", line
    with app.session() as session:
        events = session.execute(
            sa.select(EventRow.occurred_on, EventRow.item_code, EventRow.payload).where(
                EventRow.name == END_CHANGED
            )
        ).all()
    assert [tuple(e) for e in events] == [
        (date(2025, 6, 20), None, {"before": "2025-06-30", "after": "2025-12-31"})
    ]
    assert _sync(app, datetime(2025, 6, 21, tzinfo=UTC)) == "in sync"  # said once


@LAYOUT_ONLY
def test_the_next_pack_says_the_extension_and_asks_to_accord_it(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie import report_build
    from regie.reports import agenda, reproduce

    app, _ = _extended(tmp_path, migrated_url)
    question = (
        "Verschuiving van het einde van het programma van 30 juni 2025 naar 31 december 2025 "
        "accorderen?"
    )
    line = (
        "Einde van het programma gewijzigd in het plan zonder besluit: 30 juni 2025 → "
        "31 december 2025 (vastgelegd op 20-06-2025)."
    )
    for fmt in ("md", "html"):
        made = agenda(app, "stuurgroep", date(2025, 7, 10), date(2025, 7, 3), fmt)
        text = " ".join(made.content.decode().split())
        assert line in text, (fmt, text[:3000])
        assert text.count(question) == 2, fmt  # *In het kort* and agendapunt 4
        assert "Geen punten ter besluitvorming" not in text, fmt
        again = reproduce(app, made.archive_id or 0)
        assert again.matches
    # The pack after it: the extension was said before the previous meeting.
    later = agenda(app, "stuurgroep", date(2025, 8, 14), date(2025, 8, 7), "md").content.decode()
    assert "einde van het programma" not in later.lower()
    # An archived pack of layout 19 is made again without it.
    with monkeypatch.context() as then:
        then.setattr(report_build, "AGENDA_LAYOUT", 19)
        old = agenda(app, "stuurgroep", date(2025, 7, 10), date(2025, 7, 3), "md")
    assert old.parameters["layout"] == 19
    text = old.content.decode()
    assert "einde van het programma" not in text.lower()
    assert reproduce(app, old.archive_id or 0).matches


@LAYOUT_ONLY
def test_the_rule_meetings_of_the_extension_are_not_told_as_extra_meetings(
    tmp_path: Path, migrated_url: str
) -> None:
    app, _ = _extended(tmp_path, migrated_url)
    told = prepare_meetings(app, date(2025, 6, 23))
    days = ("2025-07-10", "2025-08-14", "2025-09-11", "2025-10-09")  # the next 120 days
    assert [c for c in told.changed if " added" in c] == [
        f"stuurgroep {d} added: the rule's meeting under the programme's extension to 2025-12-31"
        for d in days
    ], told.changed
    with app.session() as session:
        rows = [m for m in Repository(session, "wegen-test").outbox() if m.kind == KIND]
    anna = {m.key.split(":")[2]: m for m in rows if m.recipient == "anna"}
    assert sorted(anna) == list(days)
    july = anna["2025-07-10"]
    assert july.subject == (
        "[Fietsroutes] Vergadering Stuurgroep Fietsroutes op donderdag 10 juli 2025: "
        "programma verlengd"
    ), july.subject
    said = (
        "Het programma is verlengd tot 31 december 2025, dus Stuurgroep Fietsroutes vergadert "
        "volgens het vaste schema ook op donderdag 10 juli 2025 om 10:00 uur."
    )
    assert said in " ".join(july.body_text.split())
    assert july.body_html and "Het programma is verlengd tot 31 december 2025" in july.body_html
    # On Slack as in the mail (the stored payload's render context).
    from types import SimpleNamespace

    from notifications.render import render

    slack = render(
        "slack/meeting_changed.intro.md.j2", message=SimpleNamespace(metadata=july.payload),
        items=[],
    )  # fmt: skip
    assert "Het programma is verlengd tot 31 december 2025, dus *Stuurgroep Fietsroutes*" in slack
    for m in rows:
        assert "Extra vergadering" not in m.subject and "bij gekomen" not in m.body_text


@LAYOUT_ONLY
def test_a_one_off_meeting_with_the_extension_is_still_an_extra_one(
    tmp_path: Path, migrated_url: str
) -> None:
    """Only the rule's days are the extension's: a listed date added with it is extra."""
    app, _ = _extended(tmp_path, migrated_url)
    plan = app.settings.plan_path
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace(RULE, RULE + "      dates: [2025-07-24]\n"), encoding="utf-8")
    told = prepare_meetings(app, date(2025, 6, 23))
    assert "stuurgroep 2025-07-24 added" in told.changed, told.changed
