"""Slack answers and the item's state (review "owner", findings 1 and 4): a button cannot
reopen a cancelled item nor, without "Toch wijzigen" in the modal, someone else's gereed; the
Gereed… button opens a modal asking the day; an answered item keeps a "Wijzigen" button."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from governance.answers import OFFICE, Answerer, AnswerInput, Refusal
from notifications.slack_answer_blocks import answer_actions
from regie.answers import record_answer
from regie.bootstrap import App
from regie.slack_answers import SlackReply, handle_interaction
from store import Repository
from tests.integration.slack_requests import button, slack_app, submission

DAY = date(2025, 6, 2)


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return slack_app(migrated_url, tmp_path)


class Recorder:
    """Records the Web API calls a reply makes after its acknowledgement."""

    def __init__(self, blocks: list[dict[str, Any]] | None = None) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.blocks = blocks or []

    def __getattr__(self, name: str) -> Any:
        def call(**kwargs: Any) -> dict[str, Any]:
            self.calls.append((name, kwargs))
            if name == "conversations_history":
                return {"messages": [{"text": "Verzoek", "blocks": self.blocks}]}
            return {"ok": True}

        return call


def run(reply: SlackReply, client: Recorder) -> None:
    for call in reply.then:
        call(client)  # type: ignore[arg-type]


def updates(app: App) -> list[tuple[str, str, str | None]]:
    with app.session() as session:
        return [
            (u.item_id, u.status.value, u.author)
            for u in Repository(session, "wegen-test").status_updates()
        ]


def test_the_gereed_button_opens_a_modal_that_asks_the_day() -> None:
    """No Slack confirmation any more: the "Gereed…" modal, sent with the day, is it."""
    buttons = {b["text"]["text"]: b for b in answer_actions("1.1.1")["elements"]}
    assert buttons["Gereed…"]["action_id"] == "regie_answer:done_on"
    assert all("confirm" not in b for b in buttons.values())


def test_a_button_cannot_reopen_a_cancelled_item(app: App) -> None:
    plan = app.load_plan()
    record_answer(app, AnswerInput("1.1.1", "cancelled"), OFFICE, channel="cli", as_of=DAY)
    reply = handle_interaction(app, plan, button("U0ANNA", "1.1.1", "on_track"), DAY)
    assert reply.refused is Refusal.ITEM_CANCELLED and reply.stored == []
    client = Recorder()
    run(reply, client)
    ((name, args),) = client.calls
    assert name == "chat_postEphemeral"
    assert args["text"].startswith("Vervallen gemeld door het programmabureau op 2 juni 2025.")
    assert "u hoeft er niets meer voor te doen" in args["text"]
    # A click tried to answer: Slack says it was not stored (walk56b 2, unlike a link opened).
    assert args["text"].endswith("Uw antwoord is niet opgeslagen.")
    assert updates(app) == [("1.1.1", "cancelled", "programmabureau")]
    with app.session() as session:
        events = Repository(session, "wegen-test").events()
    assert [e.payload["reason"] for e in events if e.name == "regie.answer.refused"] == [
        "item_cancelled"
    ]


def test_reopening_someone_elses_gereed_needs_toch_wijzigen_in_the_modal(app: App) -> None:
    plan = app.load_plan()
    bram = Answerer("bram", "Bram Smit")
    record_answer(app, AnswerInput("1.1.1", "done"), bram, channel="email", as_of=DAY)
    reply = handle_interaction(app, plan, button("U0ANNA", "1.1.1", "at_risk"), DAY)
    assert reply.refused is Refusal.ITEM_DONE
    client = Recorder()
    run(reply, client)
    by = "Gereed gemeld door Bram Smit (Provincie Noordwaarts) (plaatsvervanger) op "
    assert client.calls[0][1]["text"].startswith(by)
    # The modal shows the state and the box; without the box ticked it is refused there too.
    opened = handle_interaction(app, plan, button("U0ANNA", "1.1.1", "modal"), DAY)
    client = Recorder()
    run(opened, client)
    view = client.calls[0][1]["view"]
    assert any(b.get("block_id") == "confirm" for b in view["blocks"])
    assert f"Stand: {by}" in str(view["blocks"])
    # Both submits of one modal (one view id): the refused first does not block the second.
    first = submission("U0ANNA", "1.1.1", "at_risk")
    first["view"]["id"] = "V0MODAL"
    plain = handle_interaction(app, plan, first, DAY)
    assert plain.body is not None and plain.body["response_action"] == "errors"
    assert updates(app) == [("1.1.1", "done", "bram")]
    ticked = submission("U0ANNA", "1.1.1", "at_risk")
    ticked["view"]["id"] = "V0MODAL"
    ticked["view"]["state"]["values"]["confirm"] = {
        "value": {"selected_options": [{"value": "ja"}]}
    }
    done = handle_interaction(app, plan, ticked, DAY)
    assert done.stored and done.refused is None
    assert updates(app) == [("1.1.1", "done", "bram"), ("1.1.1", "at_risk", "anna")]
    again = handle_interaction(app, plan, ticked, DAY)  # a double submit: closed, not stored
    assert again.body is None and not again.stored and again.refused is None
    assert updates(app) == [("1.1.1", "done", "bram"), ("1.1.1", "at_risk", "anna")]


def test_an_answered_item_keeps_a_wijzigen_button(app: App) -> None:
    plan = app.load_plan()
    reply = handle_interaction(app, plan, button("U0ANNA", "1.1.1", "at_risk"), DAY)
    client = Recorder([{"type": "section", "block_id": "intro"}, answer_actions("1.1.1")])
    run(reply, client)
    (update,) = [args for name, args in client.calls if name == "chat_update"]
    kinds = [(b["type"], b.get("block_id")) for b in update["blocks"]]
    assert kinds == [
        ("section", "intro"),
        ("context", "answer:1.1.1"),
        ("actions", "answer-edit:1.1.1"),
    ]
    (edit,) = update["blocks"][2]["elements"]
    assert edit["text"]["text"] == "Wijzigen" and edit["action_id"] == "regie_answer:modal"
    # Answered again through that modal: one line, one button (not two).
    (first,) = reply.stored
    changed = submission("U0ANNA", "1.1.1", "on_track", changes=first)
    again = handle_interaction(app, plan, changed, DAY)
    client2 = Recorder(update["blocks"])
    run(again, client2)
    (update2,) = [args for name, args in client2.calls if name == "chat_update"]
    assert [b.get("block_id") for b in update2["blocks"]] == [
        "intro",
        "answer:1.1.1",
        "answer-edit:1.1.1",
    ]
    assert updates(app) == [("1.1.1", "at_risk", "anna"), ("1.1.1", "on_track", "anna")]


WITHHELD = (
    "Er is een toelichting bij gegeven. Die is hier alleen zichtbaar voor de schrijver, diens "
    "plaatsvervanger, degene voor wie de schrijver invalt en het programmabureau; ze kan wel in "
    "de vergaderstukken en het voortgangsrapport staan."
)


def _stand(
    app: App, user: str, choice: str = "modal", *, editing: bool = False, item: str = "1.1.1"
) -> str:
    """The opened modal's blocks as text (``editing``: its "Wijzigen" button)."""
    press = button(user, item, choice)
    if editing:
        press["actions"][0]["block_id"] = "answer-edit:1.1.1"
    opened = handle_interaction(app, app.load_plan(), press, DAY)
    client = Recorder()
    run(opened, client)
    return str(client.calls[0][1]["view"]["blocks"])


def test_the_modal_shows_a_note_to_its_writer_their_deputy_and_the_office(app: App) -> None:
    """walk54b 2, review54b 2: the modal's "Stand:" line shows a note to its writer, the
    writer's designated deputy both ways and the office: the deputy's note is shown to the
    owner they stand in for, and "Wijzigen" starts from it, as from any note its reader reads."""
    note = "Bel mij op 06-12345678. " + "x" * 300
    bram = Answerer("bram", "Bram Smit")
    record_answer(app, AnswerInput("1.1.1", "at_risk", note=note), bram, channel="email",
                  as_of=DAY)  # fmt: skip
    anna = _stand(app, "U0ANNA")
    by = "Risico gemeld door Bram Smit (Provincie Noordwaarts) (plaatsvervanger) op"
    assert f"Stand: {by}" in anna
    assert "Toelichting: ‘Bel mij op 06-12345678." in anna and WITHHELD not in anna
    assert "'initial_value': 'Bel mij op 06-12345678." in _stand(app, "U0ANNA", editing=True)
    done_on = _stand(app, "U0ANNA", "done_on")
    assert "Toelichting: ‘Bel mij op 06-12345678." in done_on and WITHHELD not in done_on
    assert "'initial_value': 'Bel mij" not in done_on  # a new answer starts empty
    office = _stand(app, "U0OFFICE")
    assert "Toelichting: ‘Bel mij op 06-12345678." in office and "x" * 300 not in office
    assert WITHHELD not in office
    record_answer(app, AnswerInput("1.1.1", "at_risk", note="Wacht op de aannemer"),
                  Answerer("anna", "Anna de Wit"), channel="email", as_of=DAY)  # fmt: skip
    own = _stand(app, "U0ANNA", editing=True)
    assert "Toelichting: ‘Wacht op de aannemer’" in own and WITHHELD not in own
    assert "'initial_value': 'Wacht op de aannemer'" in own  # "Wijzigen" carries one's own


def test_the_modal_withholds_another_organisation_s_note(app: App) -> None:
    """2.1 (PROV and GEM): Carla (PROV) is neither Anna's deputy nor hers (review54b 2), so
    Anna reads that there is a note and who reads it, not the note; the office reads it."""
    record_answer(app, AnswerInput("2.1", "at_risk", note="Bel mij op 06-12345678"),
                  Answerer("carla", "Carla Post"), channel="email", as_of=DAY)  # fmt: skip
    anna = _stand(app, "U0ANNA", item="2.1")
    assert "Risico gemeld door Carla Post (Provincie Noordwaarts) op" in anna
    assert "06-12345678" not in anna and WITHHELD in anna
    office = _stand(app, "U0OFFICE", item="2.1")
    assert "Toelichting: ‘Bel mij op 06-12345678’" in office and WITHHELD not in office


def test_wijzigen_to_gereed_drops_the_expected_date_it_was_filled_in_with(app: App) -> None:
    """walk56b 1 in Slack: "Wijzigen" fills the modal in with the answer it changes, so its
    expected date comes along when the owner picks *Gereed*: dropped, not refused. A date the
    owner typed anew with *Gereed* is still refused."""
    plan = app.load_plan()
    given = submission("U0ANNA", "1.1.1", "at_risk", forecast="2025-09-30")
    (first,) = handle_interaction(app, plan, given, DAY).stored
    typed = submission("U0ANNA", "1.1.1", "done", forecast="2025-10-31", changes=first)
    refused = handle_interaction(app, plan, typed, DAY)
    assert refused.body is not None and refused.body["response_action"] == "errors"
    carried = submission("U0ANNA", "1.1.1", "done", forecast="2025-09-30", changes=first)
    assert handle_interaction(app, plan, carried, DAY).stored
    with app.session() as session:
        latest = Repository(session, "wegen-test").status_updates()[-1]
    assert (latest.status.value, latest.forecast, latest.completed_on) == ("done", None, DAY)
    assert latest.corrects == first
