"""A closing meeting after the programme's end (end46 1, 3): a date listed under ``dates`` after
``programme.end`` is held — `meeting list`, the calendar feed, its status round and agenda pack,
and escalations know it as the steering body's next meeting — while a rule stops at the end;
`plan validate` warns of both at their plan lines. A round after the end asks nothing about an
item without a deadline. The walk30 9 plan (Europe/Amsterdam, 2025), SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.cycle import deadline_check
from regie.prepare import prepare_meetings
from store import Repository
from store.answers import round_requests, rounds
from tests.cli_in_process import regie
from tests.integration.test_programme_end import _app, _env

#: The rule runs on to March (its 8 January, 12 February and 12 March are not held); the
#: office lists a closing meeting on Thursday 22 January; 1.5 has no deadline.
RULE = "      rule: {every: maand, weekday: donderdag, nth: 2, start: 2025-09-01, until: UNTIL}\n"
UNTIL = RULE.replace("UNTIL", "2026-03-31")
CLOSING = UNTIL + "      dates: [2026-01-22]\n"
NTB = '      - {id: "1.5", title: Kennisdeling, owners: [bond], gereed: Ntb}\n'


def _closing_env(tmp_path: Path, url: str) -> dict[str, str]:
    env = _env(tmp_path, url, "2026-03-31")
    plan = Path(env["REGIE_PLAN"])
    text = plan.read_text(encoding="utf-8").replace(UNTIL, CLOSING)
    plan.write_text(text + NTB, encoding="utf-8")
    return env


def _asked(app: App, body_day: date) -> set[str]:
    """The items the round with answers by ``body_day`` asked about."""
    with app.session() as session:
        (found,) = [r for r in rounds(session, app.programme_id()) if r.answer_by == body_day]
        return {q.item_id for q in round_requests(session, found.id)}


def test_validate_warns_at_the_closing_date_and_at_the_rules_until(tmp_path: Path) -> None:
    env = _closing_env(tmp_path, f"sqlite:///{tmp_path / 'unused.db'}")
    path = env["REGIE_PLAN"]
    lines = Path(path).read_text(encoding="utf-8").splitlines()

    def at(text: str) -> str:  # where the date stands: PATH:LINE:COL
        line = next(n for n, x in enumerate(lines, 1) if text in x)
        return f"{path}:{line}:{lines[line - 1].index(text) + 1}"

    ran = regie("plan", "validate", env=env)
    assert ran.code == 0, ran.err
    warned = [x for x in ran.out.splitlines() if "stuurgroep" in x]
    assert warned == [
        f"{at('2026-01-22')}: warning: governance body 'stuurgroep': meeting date "
        "2026-01-22 is after the programme's end 2025-12-31: it is held as a closing meeting, "
        "with its status round and agenda pack (is the year right?)",
        f"{at('2026-03-31')}: warning: governance body 'stuurgroep': the meeting rule's "
        "'until' 2026-03-31 lies after the programme's end 2025-12-31: its meetings after "
        "2025-12-31 are not held (2026-01-08, 2026-02-12, 2026-03-12): list a closing meeting "
        "under 'dates'",
    ], ran.out


def test_a_closing_meeting_gets_its_round_and_pack_and_the_rule_stops_at_the_end(
    tmp_path: Path, migrated_url: str
) -> None:
    env = _closing_env(tmp_path, migrated_url)
    app = _app(env)
    listed = regie("meeting", "list", "-f", "json", env=env)
    assert listed.code == 0, listed.err
    assert [m["date"] for m in json.loads(listed.out)] == [
        "2025-09-11", "2025-10-09", "2025-11-13", "2025-12-11", "2026-01-22"
    ]  # fmt: skip

    # Before the end a round asks about every open item, 1.5 too (1.3 waits on 1.1).
    assert prepare_meetings(app, date(2025, 11, 27)).rounds == ["stuurgroep 2025-12-11"]
    assert _asked(app, date(2025, 12, 4)) == {"1.1", "1.2", "1.4", "1.5"}
    # After the end: the closing meeting's round (request day 8 January), without 1.5.
    started = prepare_meetings(app, date(2026, 1, 8))
    assert started.rounds == ["stuurgroep 2026-01-22"], started
    assert _asked(app, date(2026, 1, 15)) == {"1.1", "1.2", "1.4"}
    packed = prepare_meetings(app, date(2026, 1, 15))
    assert packed.packs and all(":2026-01-22:" in key for key in packed.packs), packed.packs
    with app.session() as session:
        subjects = {
            r.subject for r in Repository(session, app.programme_id()).outbox()
            if r.key in packed.packs
        }  # fmt: skip
    assert len(subjects) == 1 and "22 januari 2026" in subjects.pop()

    # The calendar feed has it (and nothing the rule would give after the end).
    from regie.feed_meetings import body_meetings

    plan = app.load_plan()
    now = datetime(2026, 1, 15, 12, tzinfo=UTC)
    fed = body_meetings(app, plan, "stuurgroep", now, date(2026, 1, 15), record=False)
    days = sorted(m.start.date() for m in fed if not m.cancelled)
    assert days[-2:] == [date(2025, 12, 11), date(2026, 1, 22)]


def test_escalations_see_the_closing_meeting_as_the_next_one(
    tmp_path: Path, migrated_url: str
) -> None:
    """After 11 December the steering body meets again on 22 January: an escalation still
    suggests its agenda (test_programme_end: with no meeting left it says there is none)."""
    app = _app(_closing_env(tmp_path, migrated_url))
    for day in (date(2025, 11, 24), date(2025, 12, 15), date(2025, 12, 18)):
        deadline_check(app, day)
    with app.session() as session:
        rows = Repository(session, app.programme_id()).outbox()
    texts = [r.body_text for r in rows if r.kind == "escalation_digest"]
    assert texts and all("agenderen voor het sturend overleg" in t for t in texts)
    assert not any("geen vergadering meer" in t for t in texts)


def test_an_archived_pack_of_layout_12_is_made_again_without_the_closing_meeting(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """layout13 (review46 2): a pack of layout 12 or before was built when a date listed after
    the end was dropped; made again, it still has no next meeting. Layout 13 looks ahead to the
    closing meeting."""
    from regie import report_build
    from regie.reports import agenda, reproduce

    app = _app(_closing_env(tmp_path, migrated_url))
    december, as_of = date(2025, 12, 11), date(2025, 12, 4)
    ahead = "de volgende vergadering (22 januari 2026)"
    with monkeypatch.context() as then:
        then.setattr(report_build, "AGENDA_LAYOUT", 12)  # as the release of layout 12 made it
        old = agenda(app, "stuurgroep", december, as_of, "md")
    assert old.parameters["layout"] == 12
    assert ahead not in old.content.decode()
    again = reproduce(app, old.archive_id or 0)
    assert again.matches and again.content == old.content
    new = agenda(app, "stuurgroep", december, as_of, "md")
    assert new.parameters["layout"] == report_build.AGENDA_LAYOUT >= 19
    assert ahead in new.content.decode()
    assert reproduce(app, new.archive_id or 0).matches


def test_a_round_after_the_end_for_a_closing_meeting_starts_without_a_warning(
    tmp_path: Path, migrated_url: str
) -> None:
    """walk46 8: answers due after the programme's end, with the closing meeting of 22 January
    after that date: the round names that meeting, so `round start` has nothing to warn of."""
    env = _closing_env(tmp_path, migrated_url)
    args = ["round", "start", "--body", "stuurgroep", "--as-of", "2026-01-05"]
    ran = regie(*args, "--answer-by", "2026-01-16", env=env)
    assert ran.code == 0 and "warning" not in ran.err, ran.err
    outbox = [p.read_text(encoding="utf-8") for p in (tmp_path / "home" / "outbox").glob("*")]
    requests = [t for t in outbox if "statusronde" in t.lower()]
    assert requests and all("vergadering van 22 januari 2026" in t for t in requests)


def test_a_chase_after_the_end_leaves_out_an_item_without_a_deadline(
    tmp_path: Path, migrated_url: str
) -> None:
    """walk46 9: a round started before the end asks about 1.5 (*Ntb*); its chase, after the
    end, no longer does, as a round started after the end would not ask it."""
    from regie.rounds import progress_rounds, start_round

    app = _app(_closing_env(tmp_path, migrated_url))
    start_round(app, "stuurgroep", date(2026, 1, 9), None, date(2025, 12, 22))
    assert "1.5" in _asked(app, date(2026, 1, 9))
    (chased,) = progress_rounds(app, date(2026, 1, 8))
    assert chased.queued, chased
    with app.session() as session:
        chases = [
            r for r in Repository(session, app.programme_id()).outbox() if r.kind == "round_chase"
        ]
    assert chases
    for chase in chases:
        text = " ".join(chase.body_text.split())
        assert "1.5 Kennisdeling" not in text and "Het programma is op 31 december 2025" in text
        assert all(i["id"] != "1.5" for i in chase.payload["items"])
