"""walk56a 6a: an escalation only `regie replay` raised (its messages suppressed, never sent) is
not put to the body as *escalatie onbeantwoord* (agenda layout 21): nobody received it. One the
live cycle raised still is; a pack of layout 20 is made again as it was. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.cycle import deadline_check
from tests.integration.test_escalation_delivery import DAYS, make_app

#: The stuurgroep's meeting after the escalations of DAYS[2] (second Tuesday of the quarter),
#: and the pack's day.
MEETING, AS_OF = date(2016, 1, 12), date(2016, 1, 5)


def _pack(app: App, monkeypatch: pytest.MonkeyPatch, layout: int) -> str:
    from regie import report_build
    from regie.reports import agenda, reproduce

    with monkeypatch.context() as then:
        then.setattr(report_build, "AGENDA_LAYOUT", layout)
        made = agenda(app, "stuurgroep", MEETING, AS_OF, "md")
    assert made.parameters["layout"] == layout and made.archive_id is not None
    again = reproduce(app, made.archive_id)  # at its own layout, byte for byte
    assert again.matches and again.content == made.content
    return made.content.decode()


def _escalated(app: App, since: date = DAYS[0]) -> set[str]:
    """The items an escalation was raised for from ``since`` on."""
    from store import Repository

    with app.session() as session:
        events = Repository(session, app.programme_id()).events(since=since)
        return {e.item_id for e in events if e.name == "regie.escalation.raised" and e.item_id}


def test_a_replayed_escalation_is_not_called_unanswered(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path, database_url)
    for day in DAYS:  # the office's history, rebuilt: nothing sent
        deadline_check(app, day, replay=True)
    assert "1.3.1" in _escalated(app)
    old, new = _pack(app, monkeypatch, 20), _pack(app, monkeypatch, 21)
    assert "scalatie onbeantwoord" in old  # layout 20, as it was made
    assert "scalatie" not in new


def test_a_live_escalation_after_a_replay_is_still_unanswered(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first live day escalates again, live, what only the replayed days had escalated and
    is still late and unanswered (fix57b): the body hears of those as escalations."""
    app = make_app(tmp_path, database_url)
    for day in DAYS[:2]:
        deadline_check(app, day, replay=True)
    replayed = _escalated(app)
    assert replayed and "1.3.1" not in replayed  # 1.3.1 escalates on the live day itself
    deadline_check(app, DAYS[2])  # the first live day escalates: queued to the office
    live, every = _escalated(app, DAYS[2]), _escalated(app)
    assert "1.3.1" in live and live == every  # the replayed ones too, now live
    new, old = _pack(app, monkeypatch, 21), _pack(app, monkeypatch, 20)
    assert f" {len(live)} escalaties onbeantwoord" in new  # the live ones
    assert f" {len(every)} escalaties onbeantwoord" in old


def test_the_outbox_kind_is_the_one_the_digests_are_stored_under() -> None:
    from store import replayed_escalations, withdrawn_prompts

    assert replayed_escalations.ESCALATION_DIGEST == withdrawn_prompts.ESCALATION_DIGEST
