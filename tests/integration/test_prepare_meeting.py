"""The meeting preparation: a status round ten working days ahead, the pack on pack day, once per
meeting — over a replayed year of daily runs, and as a real Prefect flow run."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from regie.cycle import send_reminders
from regie.prepare import PACK_KIND, body_contacts, prepare_meetings
from store import Repository
from tests.integration.reports_scenario import make_app
from tests.integration.unread_pdf import unread_pdf  # noqa: F401 (a fixture)

MEETINGS_2016 = ["2016-01-12", "2016-04-12", "2016-07-12", "2016-10-11"]


@pytest.mark.usefixtures("unread_pdf")  # packs counted and mailed; no PDF read
def test_a_year_of_daily_runs_sends_one_pack_per_meeting(tmp_path: Path) -> None:
    app = make_app(tmp_path / "home")
    plan = app.load_plan()
    body = plan.body("stuurgroep")
    assert body is not None
    contacts = {c.id for c in body_contacts(plan, body)}
    rounds: list[str] = []
    day = date(2016, 1, 1)
    while day <= date(2016, 12, 31):
        report = prepare_meetings(app, day, plan=plan)
        rounds.extend(report.rounds)
        if day.weekday() == 0:  # a Monday run twice (a retry) changes nothing
            assert prepare_meetings(app, day, plan=plan).packs == []
        if day.weekday() < 5:
            assert not send_reminders(app).failed
        day += timedelta(days=1)
    with app.session() as session:
        outbox = Repository(session, plan.programme.id).outbox()
    packs = [m for m in outbox if m.kind == PACK_KIND]
    per_meeting = Counter(m.payload["meeting"] for m in packs)
    # The 2017 meeting's pack day (5 Jan 2017) lies after the year: not sent yet.
    assert sorted(per_meeting) == MEETINGS_2016
    assert set(per_meeting.values()) == {len(contacts)}
    assert len({m.key for m in packs}) == len(packs)
    assert {m.status for m in packs} == {"sent"}
    assert {m.recipient for m in packs} == contacts
    # Sent on pack day: five working days before the meeting (12 April 2016 → 5 April).
    april = [m for m in packs if m.payload["meeting"] == "2016-04-12"]
    assert {m.created_on for m in april} == {date(2016, 4, 5)}
    assert "4. Ter besluitvorming" in april[0].body_text
    assert april[0].body_html and april[0].body_html.startswith("<!DOCTYPE html>")
    # One status round per meeting, started once (the first one already on 1 January).
    assert rounds == [f"stuurgroep {m}" for m in MEETINGS_2016] + ["stuurgroep 2017-01-10"]
    eml = list((tmp_path / "home" / "outbox").glob("*.eml"))
    assert sum(1 for f in eml if "agenda-pack" in f.name) == len(packs)


@pytest.mark.usefixtures("unread_pdf")  # packs counted and mailed; no PDF read
def test_a_missed_pack_day_is_caught_up_before_the_meeting(tmp_path: Path) -> None:
    app = make_app(tmp_path / "home")
    assert prepare_meetings(app, date(2016, 4, 4)).packs == []  # the day before pack day
    late = prepare_meetings(app, date(2016, 4, 8))  # pack day (5 April) was missed
    assert late.packs and all(":2016-04-12:" in key for key in late.packs)
    assert prepare_meetings(app, date(2016, 4, 11)).packs == []
    assert prepare_meetings(app, date(2016, 4, 12)).packs == []  # the meeting day itself


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_prepare_meeting_flow_runs_in_prefect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.prepare_meeting import prepare_meeting

    home = tmp_path / "home"
    app = make_app(home)
    monkeypatch.setenv("REGIE_HOME", str(home))
    monkeypatch.setenv("REGIE_PLAN", str(app.settings.plan_path))
    monkeypatch.delenv("REGIE_DATABASE_URL", raising=False)
    first = prepare_meeting(as_of="2016-04-05")
    assert len(first["packs"]) == len(body_contacts(app.load_plan(), app.load_plan().governance[1]))
    assert first["send"]["sent"] >= len(first["packs"])
    second = prepare_meeting(as_of="2016-04-05")
    assert second["packs"] == [] and second["send"]["sent"] == 0
