"""The answer buttons under each item of a Slack digest (handled by :mod:`regie.slack_answers`)."""

from __future__ import annotations

from typing import Any

from notifications.words import button_about, button_label, status_label

ACTION_PREFIX = "regie_answer:"
MODAL = "modal"
#: An overdue item's buttons that open the new-date modal (regie.slack_modals.overdue_modal).
NEW_DATE = "new_date"
BLOCKED = "blocked"
#: "Gereed…": a modal asking the day it was finished (regie.slack_modals.done_modal), today
#: preset. The bare "done" of messages sent before it records today, as their confirmation said.
DONE_ON = "done_on"
#: Message kinds whose items can be answered with buttons.
ANSWERABLE = frozenset({"reminder_digest", "round_request", "round_chase"})


def answer_block_id(item_id: str) -> str:
    return f"answer:{item_id}"


def edit_block_id(item_id: str) -> str:
    """The "Wijzigen" button shown under an answered item (opens the modal again)."""
    return f"answer-edit:{item_id}"


def edit_actions(item_id: str) -> dict[str, Any]:
    """One "Wijzigen" button (the modal, to correct the answer just given)."""
    return {
        "type": "actions",
        "block_id": edit_block_id(item_id),
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": button_label("edit")},
                "action_id": f"{ACTION_PREFIX}{MODAL}",
                "value": item_id,
                "accessibility_label": button_about(button_label("edit"), item_id),
            }
        ],
    }


def _button(
    item_id: str,
    label: str,
    action: str,
    style: str | None = None,
) -> dict[str, Any]:
    b: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": f"{ACTION_PREFIX}{action}",
        "value": item_id,
        # The same labels repeat under every item: a screen reader hears which (walk58c 3).
        "accessibility_label": button_about(label, item_id),
    }
    if style:
        b["style"] = style
    return b


def item_actions(item_id: str, state: object) -> dict[str, Any]:
    """The buttons for an item in the state a digest shows it in."""
    return overdue_actions(item_id) if str(state) == "overdue" else answer_actions(item_id)


def overdue_actions(item_id: str) -> dict[str, Any]:
    """An overdue item: "Op schema" cannot be true without a new date, so Gereed…, Nieuwe
    datum… and Loopt vast… (each a modal with a date picker and a note)."""
    return {
        "type": "actions",
        "block_id": answer_block_id(item_id),
        "elements": [
            _button(item_id, button_label(DONE_ON), DONE_ON),
            _button(item_id, button_label(NEW_DATE), NEW_DATE, "primary"),
            _button(item_id, button_label(BLOCKED), BLOCKED, "danger"),
        ],
    }


def answer_actions(item_id: str) -> dict[str, Any]:
    """Op schema, Risico, Gereed… and Update geven (both a modal); each button's value is the
    item. "Gereed…" asks the day it was finished: an owner who finished last week says so."""

    def button(label: str, action: str, style: str | None = None) -> dict[str, Any]:
        return _button(item_id, label, action, style)

    return {
        "type": "actions",
        "block_id": answer_block_id(item_id),
        "elements": [
            button(status_label("on_track"), "on_track", "primary"),
            button(status_label("at_risk"), "at_risk", "danger"),
            button(button_label(DONE_ON), DONE_ON),
            button(button_label(MODAL), MODAL),
        ],
    }
