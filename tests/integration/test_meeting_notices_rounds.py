"""review13 7 and meet45: a meeting that moves, is cancelled or joins while a status round is
open for it — the members' notice says which meeting the round is for now and that its
answer-by date stays, and the owners the round asked who are not among the pack's recipients
get a short notice of their own (not one who answered everything); and the *Nieuwe datum*
pairing never pairs a cancelled day twice. On the second
programme (Fietsroutes), SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from notifications.slack_blocks import digest_blocks
from regie.bootstrap import App
from regie.history import record_update
from regie.mapping import message_from_outbox
from regie.meeting_notices import KIND, ROUND_KIND
from regie.prepare import prepare_meetings
from store import Repository, outbox
from tests.integration.answer_app import answers_app
from tests.integration.test_meeting_notices import DAYS, FIRST_RUN, _plan

#: Two organisations outside the stuurgroep (members GEM and PROV), each owning an item.
OUTSIDERS = (
    "  - id: WS\n    name: Waterschap Rivierland\n  - id: RWS\n    name: Rijkswaterstaat Oost\n"
)
CONTACTS = (
    "  - id: wim\n    name: Wim Dijk\n    organisation: WS\n    email: wim@example.org\n"
    "  - id: xena\n    name: Xena Bos\n    organisation: RWS\n    email: xena@example.org\n"
    "    slack: U0XENA\n"
)
STEP = (
    "  - number: 3\n    title: Oevers\n    actions:\n"
    '      - id: "3.1"\n        title: Dijkpaden\n        owners: [WS]\n        gereed: Q4-2025\n'
    '      - id: "3.2"\n        title: Rijksbruggen\n        owners: [RWS]\n'
    "        gereed: Q4-2025\n"
)
#: The round for 12 June starts on this day (request day 28 May, pack day 4 June).
ROUND_DAY = date(2025, 6, 2)


def _round_plan(path: Path, days: tuple[str, ...]) -> Path:
    _plan(path, days, contact=CONTACTS)
    text = path.read_text(encoding="utf-8").replace(
        "    name: Programmabureau Fietsroutes\n",
        "    name: Programmabureau Fietsroutes\n" + OUTSIDERS,
    )
    path.write_text(text.rstrip("\n") + "\n" + STEP, encoding="utf-8")
    return path


def _outbox(app: App, kind: str, prefix: str = "") -> dict[str, str]:
    """recipient → subject and text of the messages of ``kind`` whose key starts ``prefix``."""
    with app.session() as session:
        return {
            m.recipient: f"{m.subject}\n{m.body_text}"
            for m in Repository(session, "wegen-test").outbox()
            if m.kind == kind and m.key.startswith(prefix)
        }


def _slack(app: App, key_prefix: str, recipient: str) -> str:
    """The Slack form (its intro) of the message to ``recipient`` whose key starts so."""
    with app.session() as session:
        (row,) = [
            m for m in Repository(session, "wegen-test").outbox()
            if m.key.startswith(key_prefix) and m.recipient == recipient
        ]  # fmt: skip
    blocks = digest_blocks(message_from_outbox(row, "wegen-test"))
    return "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")


def _with_round(tmp_path: Path, url: str, days: tuple[str, ...] = DAYS) -> tuple[App, Path]:
    """The round for 12 June open (answers by 4 June), Xena's item answered in it (``days``:
    the meetings, 12 June the first)."""
    plan_file = _round_plan(tmp_path / "plan.yaml", days)
    app = answers_app(url, tmp_path / "home", plan_file)
    prepare_meetings(app, FIRST_RUN)
    started = prepare_meetings(app, ROUND_DAY)
    assert started.rounds == ["stuurgroep 2025-06-12"]
    record_update(
        app, "3.2", "on_track", as_of=ROUND_DAY, forecast=None, completed_on=None,
        comment=None, author="xena",
    )  # fmt: skip
    return app, plan_file


ROUND_SAYS = (
    "De statusronde met antwoorden vóór 4 juni 2025 was voor de vergadering van 12 juni 2025 "
    "en is nu voor de vergadering van {now}. De datum voor antwoorden blijft 4 juni 2025."
)


def test_a_moved_meeting_with_an_open_round_tells_members_and_the_asked_owners(
    migrated_url: str, tmp_path: Path
) -> None:
    app, plan_file = _with_round(tmp_path, migrated_url)
    _round_plan(plan_file, ("2025-06-13", *DAYS[1:]))
    moved = prepare_meetings(app, date(2025, 6, 3))
    says = ROUND_SAYS.format(now="vrijdag 13 juni 2025")
    assert moved.changed == [
        "stuurgroep 2025-06-12 moved to 2025-06-13",
        "stuurgroep round 1 (answers by 2025-06-04) now for 2025-06-13, was 2025-06-12: 1 more "
        "asked owner told",
    ]
    members = _outbox(app, KIND, "meeting-moved:")
    assert set(members) == {"office", "anna", "bram", "carla"}
    assert all(says in text for text in members.values())
    # Wim (Waterschap, not a member) was asked and has not answered: told; Xena answered
    # everything she was asked: nothing changes for her, not told.
    owners = _outbox(app, ROUND_KIND)
    assert set(owners) == {"wim"}
    wim = owners["wim"]
    assert wim.startswith(
        "[Fietsroutes] Statusronde Stuurgroep Fietsroutes: nu voor de vergadering van vrijdag "
        "13 juni 2025, antwoord vóór 4 juni 2025\n"
    )
    assert (
        "De vergadering van donderdag 12 juni 2025 is verplaatst naar vrijdag 13 juni 2025." in wim
    )
    assert says in wim
    # The Slack forms say it too (Anna is on Slack; Xena would be, were she told).
    assert says in _slack(app, "meeting-moved:", "anna")
    wim_slack = _slack(app, "round-meeting-moved:", "wim")
    assert "De vergadering van donderdag 12 juni 2025 is verplaatst naar *vrijdag 13 juni " in (
        wim_slack
    )
    assert says in wim_slack
    keys = [k for k in moved.notices if k.startswith("round-meeting-moved:")]
    assert len(keys) == 1 and keys[0].startswith("round-meeting-moved:1:wim:2025-06-13:")
    # Run again that day and the next: nothing told twice.
    assert prepare_meetings(app, date(2025, 6, 3)).notices == []
    assert prepare_meetings(app, date(2025, 6, 4)).changed == []
    assert len(_outbox(app, ROUND_KIND)) == 1 and len(_outbox(app, KIND)) == 4


def test_a_cancelled_meeting_tells_where_its_round_goes_and_a_dry_run_says_it(
    migrated_url: str, tmp_path: Path
) -> None:
    """README: a round for a meeting dropped is for the nearer neighbour with no round of its
    own after its answer-by date whose own round would start by then (cancel46) — here 19 June
    (its round would start on 4 June); the cancellation says so, to both."""
    days = ("2025-06-12", "2025-06-19", *DAYS[1:])
    app, plan_file = _with_round(tmp_path, migrated_url, days)
    _round_plan(plan_file, days[1:])
    dry = prepare_meetings(app, date(2025, 6, 3), dry_run=True)
    assert dry.changed[-1] == (
        "stuurgroep round 1 (answers by 2025-06-04) now for 2025-06-19, was 2025-06-12: 1 more "
        "asked owner would be told"
    )
    assert "round-meeting-moved:1:wim:2025-06-19:?" in dry.notices
    assert _outbox(app, ROUND_KIND) == {}
    cancelled = prepare_meetings(app, date(2025, 6, 3))
    assert cancelled.changed[0] == "stuurgroep 2025-06-12 cancelled"
    says = ROUND_SAYS.format(now="donderdag 19 juni 2025")
    carla = _outbox(app, KIND, "meeting-cancelled:")["carla"]
    assert "gaat niet door" in carla and says in carla
    wim = _outbox(app, ROUND_KIND)["wim"]
    assert "De vergadering van donderdag 12 juni 2025 gaat niet door." in wim and says in wim


def test_a_cancelled_day_already_given_its_new_date_is_not_paired_again(
    migrated_url: str, tmp_path: Path
) -> None:
    """meet45: 12 June and 10 July cancelled; 24 July told as the new date of 12 June (the
    earlier, in date order); 11 July, a run later, is 10 July's new date, not 12 June's again."""
    plan_file = _plan(tmp_path / "plan.yaml", DAYS)
    app = answers_app(migrated_url, tmp_path / "home", plan_file)
    prepare_meetings(app, FIRST_RUN)
    _plan(plan_file, (DAYS[2],))
    assert prepare_meetings(app, date(2025, 5, 6)).changed == [
        "stuurgroep 2025-06-12 cancelled",
        "stuurgroep 2025-07-10 cancelled",
    ]
    _plan(plan_file, ("2025-07-24", DAYS[2]))
    assert prepare_meetings(app, date(2025, 5, 7)).changed == [
        "stuurgroep 2025-07-24 added, the new day of cancelled 2025-06-12"
    ]
    _plan(plan_file, ("2025-07-11", "2025-07-24", DAYS[2]))
    later = prepare_meetings(app, date(2025, 5, 8))
    assert later.changed == ["stuurgroep 2025-07-11 added, the new day of cancelled 2025-07-10"]
    anna = _outbox(app, KIND, "meeting-added:stuurgroep:2025-07-11:")["anna"]
    assert "Nieuwe datum vergadering Stuurgroep Fietsroutes: vrijdag 11 juli 2025 (was 10 juli" in (
        anna
    )


def test_a_pruned_new_date_notice_still_keeps_its_cancelled_day_from_being_paired_again(
    migrated_url: str, tmp_path: Path
) -> None:
    """review14 2: the *Nieuwe datum* notices of 24 July (for cancelled 12 June) are sent and
    pruned before 11 July is added; 11 July is still 10 July's new date, not 12 June's again."""
    plan_file = _plan(tmp_path / "plan.yaml", DAYS)
    app = answers_app(migrated_url, tmp_path / "home", plan_file)
    prepare_meetings(app, FIRST_RUN)
    _plan(plan_file, (DAYS[2],))
    prepare_meetings(app, date(2025, 5, 6))
    _plan(plan_file, ("2025-07-24", DAYS[2]))
    prepare_meetings(app, date(2025, 5, 7))
    now = datetime(2025, 5, 7, 12, tzinfo=UTC)
    with app.session() as session:
        keys = [m.key for m in Repository(session, "wegen-test").outbox()]
        outbox.mark_sent_by_hand(session, "wegen-test", keys, now=now, day=date(2025, 5, 7))
        pruned = outbox.prune(session, "wegen-test", now + timedelta(days=1), now=now, apply=True)
        session.commit()
    assert any(k.startswith("meeting-added:stuurgroep:2025-07-24:") for k in pruned)
    _plan(plan_file, ("2025-07-11", "2025-07-24", DAYS[2]))
    later = prepare_meetings(app, date(2025, 5, 8))
    assert later.changed == ["stuurgroep 2025-07-11 added, the new day of cancelled 2025-07-10"]


def test_two_new_days_in_one_run_are_each_the_new_date_of_one_cancelled_day(
    migrated_url: str, tmp_path: Path
) -> None:
    """meet45: two cancellations in one run, two new days in the next: each its own (the pairing
    in date order takes each cancelled day once)."""
    plan_file = _plan(tmp_path / "plan.yaml", DAYS)
    app = answers_app(migrated_url, tmp_path / "home", plan_file)
    prepare_meetings(app, FIRST_RUN)
    _plan(plan_file, (DAYS[2],))
    prepare_meetings(app, date(2025, 5, 6))
    _plan(plan_file, ("2025-06-13", "2025-07-11", DAYS[2]))
    both = prepare_meetings(app, date(2025, 5, 7))
    assert both.changed == [
        "stuurgroep 2025-06-13 added, the new day of cancelled 2025-06-12",
        "stuurgroep 2025-07-11 added, the new day of cancelled 2025-07-10",
    ]
    assert prepare_meetings(app, date(2025, 5, 8)).changed == []
