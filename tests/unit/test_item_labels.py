"""The item page's Dutch for every reminder stage, delivery status, channel and period kind."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from governance.labels import PERIOD_KIND_LABELS, STATE_LABELS, state_key
from governance.periods import PeriodKind
from governance.stage_keys import StageParts, stage_parts
from regie.office import ReminderRow
from store.models import OUTBOX_STATUSES
from web.templating import environment


def _macros() -> Any:
    return environment().get_template("_item.html.j2").module


def _row(stage: str, days: int | None = None, status: str | None = None,
         channel: str | None = None, number: int | None = None) -> ReminderRow:  # fmt: skip
    parts = stage_parts(stage)
    return ReminderRow(date(2015, 10, 1), stage, parts, days, "c", status, channel, number)


@pytest.mark.parametrize(
    ("stage", "days", "number", "text"),
    [
        ("first@2016-09-30", None, 1, "eerste herinnering vóór de deadline van 30 september 2016"),
        ("second@2016-09-30", None, 2, "tweede herinnering vóór de deadline van 30 september 2016"),
        # The second stage is the first reminder sent when the first one's days were missed.
        ("second@2016-09-30", None, 1, "eerste herinnering vóór de deadline van 30 september 2016"),
        ("first@2016-09-30", None, None, "herinnering vóór de deadline van 30 september 2016"),
        ("due@2015-09-30", None, None, "herinnering op de deadline (30 september 2015)"),
        # The number is the reminders' on record, not the stage's: overdue-13 was the first.
        (
            "overdue-13@2015-06-30",
            67,
            1,
            "1e herinnering na de deadline van 30 juni 2015 (67 werkdagen te laat)",
        ),
        (
            "overdue-14@2015-06-30",
            72,
            2,
            "2e herinnering na de deadline van 30 juni 2015 (72 werkdagen te laat)",
        ),
        (  # never went out (replayed, given up): no number
            "overdue-49@2026-03-31",
            149,
            None,
            "herinnering na de deadline van 31 maart 2026 (149 werkdagen te laat)",
        ),
        (
            "overdue-1@2015-09-30",
            1,
            1,
            "1e herinnering na de deadline van 30 september 2015 (1 werkdag te laat)",
        ),
        ("periodic-2015Q4", None, None, "periodieke herinnering (4e kwartaal 2015)"),
        ("periodic-2016M07", None, None, "periodieke herinnering (vanaf 1 juli 2016)"),
        (
            "predecessor-cancelled@2.4.1",
            None,
            None,
            "bericht: voorganger 2.4.1 vervallen, geen datum",
        ),
        (
            "predecessor-cancelled@2.3,2.4",
            None,
            None,
            "bericht: voorgangers 2.3, 2.4 vervallen, geen datum",
        ),
        ("escalation:2.3.1:none:overdue", None, None, "escalatie: over de deadline"),
        ("escalation:2.3.1:17:unanswered", None, None, "escalatie: onbeantwoord"),
        ("escalation:2.3.1:2015-10-01:other", None, None, "escalatie"),
        ("overdue-x@2015-06-30", None, None, "herinnering"),
        ("first@2015-02-30", None, None, "herinnering"),
        ("something-new", None, None, "herinnering"),
    ],
)
def test_every_stage_kind_is_described_in_dutch(
    stage: str, days: int | None, number: int | None, text: str
) -> None:
    assert str(_macros().stage(_row(stage, days, number=number))) == text


def _event_kinds() -> set[str]:
    """Every event name the store can hold for an item: governance.events' constants, a
    transition into each state, the answers' refusal, and any other ``"regie.x.y"`` literal in
    the code that records events (so a new kind added there is walked here too)."""
    from governance import events
    from governance.rag import State
    from regie.answers import ANSWER_REFUSED

    kinds = {v for k, v in vars(events).items() if k.isupper() and isinstance(v, str)}
    kinds |= {events.transition_event_name(s.value) for s in State}
    kinds.add(ANSWER_REFUSED)
    root = Path(__file__).parents[2]
    literal = re.compile(r"[\"'](regie\.[a-z_]+\.[a-z_-]+)[\"']")
    for package in ("governance", "regie", "store", "web"):
        for source in (root / package).rglob("*.py"):
            kinds.update(literal.findall(source.read_text(encoding="utf-8")))
    return kinds


def test_every_event_kind_is_named_in_dutch() -> None:
    kinds = _event_kinds()
    assert {"regie.answer.refused", "regie.milestone.overdue", "regie.status.updated"} <= kinds
    event = _macros().event
    said = {kind: str(event(kind)) for kind in sorted(kinds)}
    for kind, text in said.items():
        assert text and "regie" not in text and "." not in text and "_" not in text, (kind, text)
        assert text != "overige gebeurtenis", kind  # each known kind has a label of its own
    assert said["regie.answer.refused"] == "statusupdate geweigerd"
    assert said["regie.milestone.due-soon"] == "status: binnenkort"
    assert said["regie.forecast.slipped"] == "status: verschoven"


EVERYWHERE = " installatie-breed (alle programma's): "


@pytest.mark.parametrize(
    ("counts", "installation", "text"),
    [
        ({"mail_bounces": 2, "slack_users": 1}, {}, ": bounces, Slack-gebruikers"),
        ({}, {"web_sessions": 3}, ":" + EVERYWHERE + "verlopen sessies"),
        ({"slack_users": 1}, {"web_sessions": 0, "slack_lookups": 1},
         ": Slack-gebruikers;" + EVERYWHERE + "Slack-opzoekingen"),
        ({"mail_bounces": 1}, {"web_sessions": 1, "slack_lookups": 2},
         ": bounces;" + EVERYWHERE + "verlopen sessies, Slack-opzoekingen"),
        # retention49 recorded the shared tables among the programme's counts
        ({"mail_bounces": 2, "web_sessions": 1}, None,
         ": bounces;" + EVERYWHERE + "verlopen sessies"),
        ({"something_later": 4}, {"something_else": 1}, ""),
        (None, None, ""),
    ],
)  # fmt: skip
def test_a_data_prune_names_only_what_it_pruned(
    counts: object, installation: object, text: str
) -> None:
    """From the event's counts (review49 8), the tables every programme of the database shares
    said apart (retention50); a table it does not know is not named."""
    payload = {"before": "x", "counts": counts, "installation": installation}
    said = str(_macros().event("regie.data.pruned", payload))
    assert said == "verouderde persoonsgegevens opgeschoond (bewaartermijn)" + text


@pytest.mark.parametrize(
    "name", ["regie.something.new", "regie.milestone.exploded", "regie.milestone.", "x", ""]
)
def test_an_unknown_event_kind_is_never_shown_raw(name: str) -> None:
    assert str(_macros().event(name)) == "overige gebeurtenis"


def test_stage_keys_are_read_into_their_parts() -> None:
    assert stage_parts("overdue-13@2015-06-30") == StageParts(
        "overdue", due=date(2015, 6, 30), number=13
    )
    assert stage_parts("periodic-2015Q4") == StageParts(
        "periodic", period_start=date(2015, 10, 1), quarter=4
    )
    assert stage_parts("escalation:1.2:none:unanswered").escalation == "unanswered"
    assert stage_parts("predecessor-cancelled@2.3,2.4") == StageParts(
        "notice", predecessors=("2.3", "2.4")
    )


def test_every_delivery_status_and_channel_is_dutch() -> None:
    macros = _macros()
    said = {status: str(macros.delivery(_row("due@2015-09-30", status=status)))
            for status in OUTBOX_STATUSES}  # fmt: skip
    assert all(text != status and text != "onbekend" for status, text in said.items()), said
    assert said["pending"] == "in de wachtrij"
    shown = {c: str(macros.delivery(_row("due@2015-09-30", status="sent", channel=c)))
             for c in ("email", "slack", "file")}  # fmt: skip
    assert shown == {
        "email": "verstuurd per e-mail",
        "slack": "verstuurd per Slack",
        "file": "verstuurd per bestand",
    }
    assert str(macros.delivery(_row("due@2015-09-30"))) == "onbekend"  # no message found


def test_revision_values_are_readable() -> None:
    value = _macros().value
    period = {"kind": "open_ended", "start": "2016-01-01", "end": None}
    assert str(value("period", period)) == "open einde (e.v.), vanaf 1 januari 2016"
    assert str(value("owners", ["BZ", "EZ"])) == "BZ, EZ"
    assert str(value("depends_on", [])) == "–"
    assert str(value("position", 0)) == "1"
    assert str(value("note", None)) == "–"


def test_every_period_kind_has_a_dutch_label() -> None:
    assert set(PERIOD_KIND_LABELS) == {k.value for k in PeriodKind}


@pytest.mark.parametrize(("given", "key"), [("te laat", "overdue"), ("Op  Schema", "on_track"),
                                            ("OVERDUE", "overdue"), ("laat", None)])  # fmt: skip
def test_a_state_is_named_by_key_or_dutch_label(given: str, key: str | None) -> None:
    assert state_key(given) == key
    assert all(state_key(label) == k for k, label in STATE_LABELS.items())


def test_an_id_label_names_the_id_once_where_the_name_is_the_id() -> None:
    """walk49 9: one rule for ``regie status`` and the office's pages (no "VVSG (VVSG)")."""
    from governance.labels import id_label

    assert id_label("VVSG", "VVSG") == "VVSG"
    assert id_label("DV", "Digitaal Vlaanderen") == "Digitaal Vlaanderen (DV)"


def test_the_recurring_kind_reads_as_either_word_of_the_plan() -> None:
    """walk49 12: *Periodiek* and *doorlopend* are one kind; its label contradicts neither."""
    from governance.labels import period_kind_label

    label = period_kind_label("recurring")
    assert "periodiek" in label and "doorlopend" in label


def test_the_period_kinds_without_an_end_read_apart() -> None:
    """review49b 7: open-ended ("Vanaf 2016") and recurring ("Periodiek", "doorlopend") items
    share no word in their labels, in `regie status`'s Soort and on the item page."""
    from governance.labels import period_kind_label

    open_ended, recurring = period_kind_label("open_ended"), period_kind_label("recurring")
    assert open_ended == "open einde (e.v.)"
    assert not set(open_ended.split()) & set(recurring.split()), (open_ended, recurring)


@pytest.mark.parametrize(
    ("stage", "days", "number", "text"),
    [
        ("due@2027-01-15", None, None, "herinnering op de verwachte datum (15 januari 2027)"),
        (
            "overdue-2@2027-01-15",
            10,
            1,
            "1e herinnering na de verwachte datum van 15 januari 2027 (10 werkdagen erna)",
        ),
        (
            "overdue-1@2027-01-15",
            1,
            None,
            "herinnering na de verwachte datum van 15 januari 2027 (1 werkdag erna)",
        ),
        # A stage that names no date of the item's has nothing to say about a forecast.
        ("first@2027-01-15", None, 1, "eerste herinnering vóór de deadline van 15 januari 2027"),
    ],
)
def test_a_stage_about_the_owners_forecast_names_the_expected_date(
    stage: str, days: int | None, number: int | None, text: str
) -> None:
    about = replace(_row(stage, days, number=number), forecast=True)
    assert str(_macros().stage(about)) == text


_DUE, _F = date(2026, 12, 15), date(2027, 1, 15)


@pytest.mark.parametrize(
    ("stage", "queued", "changes", "forecasts", "expected"),
    [
        # The owner's forecast after the deadline, reached: its stages are the forecast's.
        ("due@2027-01-15", date(2027, 1, 15), [], [(date(2026, 12, 10), _F)], True),
        ("overdue-2@2027-01-15", date(2027, 1, 29), [], [(date(2026, 12, 10), _F)], True),
        # The deadline's own stages, and a date nobody forecast (a computed date that moved).
        ("due@2026-12-15", date(2026, 12, 15), [], [(date(2026, 12, 10), _F)], False),
        ("due@2027-01-15", date(2027, 1, 15), [], [], False),
        # A forecast given after the reminder went out did not key it.
        ("due@2027-01-15", date(2027, 1, 15), [], [(date(2027, 1, 16), _F)], False),
        # The plan took the forecast over as its deadline on 20 January: the reminder of the
        # 15th was about the forecast still, one after the change is about the deadline.
        (
            "due@2027-01-15",
            date(2027, 1, 15),
            [(date(2027, 1, 20), _DUE)],
            [(date(2026, 12, 10), _F)],
            True,
        ),
        (
            "overdue-1@2027-01-15",
            date(2027, 1, 22),
            [(date(2027, 1, 20), _DUE)],
            [(date(2026, 12, 10), _F)],
            False,
        ),
        ("periodic-2027Q1", date(2027, 1, 15), [], [(date(2026, 12, 10), _F)], False),
    ],
)
def test_a_stage_is_about_the_forecast_when_its_date_was_not_the_deadline(
    stage: str,
    queued: date,
    changes: list[tuple[date, date]],
    forecasts: list[tuple[date, date]],
    expected: bool,
) -> None:
    from governance.stage_keys import deadline_on, keyed_on_forecast

    deadline = deadline_on(queued, _F if changes else _DUE, changes)
    assert keyed_on_forecast(stage_parts(stage), queued, deadline, forecasts) is expected
