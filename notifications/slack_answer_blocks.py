"""The answer buttons under each item of a Slack digest (handled by :mod:`regie.slack_answers`)."""

from __future__ import annotations

from typing import Any

ACTION_PREFIX = "regie_answer:"
MODAL = "modal"
#: Message kinds whose items can be answered with buttons.
ANSWERABLE = frozenset({"reminder_digest", "round_request", "round_chase"})


def answer_block_id(item_id: str) -> str:
    return f"answer:{item_id}"


def answer_actions(item_id: str) -> dict[str, Any]:
    """Op schema, Risico, Gereed and Update geven (a modal); each button's value is the item."""

    def button(label: str, action: str, style: str | None = None) -> dict[str, Any]:
        b: dict[str, Any] = {
            "type": "button",
            "text": {"type": "plain_text", "text": label},
            "action_id": f"{ACTION_PREFIX}{action}",
            "value": item_id,
        }
        if style:
            b["style"] = style
        return b

    return {
        "type": "actions",
        "block_id": answer_block_id(item_id),
        "elements": [
            button("Op schema", "on_track", "primary"),
            button("Risico", "at_risk", "danger"),
            button("Gereed", "done"),
            button("Update geven", MODAL),
        ],
    }
