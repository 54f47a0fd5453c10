"""A digest as Slack Block Kit: a header, one section per item, the outbox key as metadata.

Each item's section has the stable ``block_id`` ``item:<item_id>``, so answer buttons can be put
beside it and an answer can tell which item it is about. Texts come from Jinja2 templates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from governance.characters import displayable
from notifications.base import Message
from notifications.slack_answer_blocks import ANSWERABLE, item_actions

EVENT_TYPE = "regie_message"
MAX_BLOCKS = 50  # Slack's limit per message
HEADER_LIMIT = 150  # characters in a header block
SECTION_LIMIT = 3000  # characters in a section's text


def has_blocks(kind: str) -> bool:
    """Whether a message of ``kind`` has a Slack form (``slack/<kind>.intro.md.j2``). A kind
    without one (the agenda pack: a document with an HTML part) is not posted to Slack: the
    notifier hands it to the next channel (e-mail) instead of failing it."""
    from jinja2 import TemplateNotFound

    from notifications.render import environment

    try:
        environment().get_template(f"slack/{kind}.intro.md.j2")
    except TemplateNotFound:
        return False
    return True


def item_block_id(item_id: str) -> str:
    return f"item:{item_id}"


def metadata(message: Message) -> dict[str, Any]:
    """Finds the message again in the channel (``conversations.history``) after a crash."""
    return {
        "event_type": EVENT_TYPE,
        "event_payload": {"key": message.key, "kind": message.kind}
        | ({"programme": message.programme} if message.programme else {}),
    }


#: Characters of a message's notification text (:func:`fallback_text`).
FALLBACK_LIMIT = 300


def fallback_text(message: Message) -> str:
    """The post's ``text`` (notification, search, clients without blocks): the subject and
    the first items, not the e-mail's text with its sentences about links and replies."""
    from notifications.render import render

    items = [i for i in message.metadata.get("items", []) if isinstance(i, dict) and "id" in i]
    text = render("slack/fallback.txt.j2", subject=message.subject, items=items)
    return _cut(" ".join(text.split()), FALLBACK_LIMIT)


def digest_blocks(message: Message) -> list[dict[str, Any]]:
    from notifications.render import render

    items: list[dict[str, Any]] = [dict(i) for i in message.metadata.get("items", [])]
    for item in items:
        due = item.get("due")
        item["due"] = date.fromisoformat(due) if isinstance(due, str) else None
        # A hand-over's (a digest's, an escalation's) and the latest answer's (regie.messages).
        for name in (
            "handover_since",
            "handed_on",
            "latest_on",
            "latest_forecast",
            "earlier_forecast",
            "earlier_on",
        ):
            value = item.get(name)
            if isinstance(value, str):
                item[name] = date.fromisoformat(value)
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "block_id": "header",
            "text": {"type": "plain_text", "text": _cut(message.subject, HEADER_LIMIT)},
        }
    ]
    intro = render(f"slack/{message.kind}.intro.md.j2", message=message, items=items).strip()
    if intro:
        blocks.append(_section("intro", intro))
    # Buttons under each item (issue #10); a deputy's copy of escalations too: a deputy may
    # answer for the contacts they stand in for (regie.messages).
    answerable = message.kind in ANSWERABLE or bool(message.metadata.get("deputy_for"))
    # A digest's other open items (regie.messages: ``others_open``) end it, in one more block.
    # An escalation's copy: a deputy's (``others_open``), the office's (``owners_open``).
    owners_open = message.metadata.get("owners_open")
    others = message.metadata.get("others_open") or owners_open
    room = MAX_BLOCKS - len(blocks) - 1 - bool(others)  # one left for "and N more"
    if answerable:
        room //= 2
    for item in items[:room]:
        # office: the plan's name for it (the payload's), for a note the reader may not read.
        text = _item_text(message, item)
        blocks.append(_section(item_block_id(str(item["id"])), text))
        if answerable:
            # An overdue item gets buttons that can carry a new date (issue: overdue answers).
            blocks.append(item_actions(str(item["id"]), item.get("state")))
    if len(items) > room:
        more = render("slack/more.md.j2", count=len(items) - room, office=message.metadata)
        more = more.strip()
        blocks.append({"type": "context", "block_id": "more", "elements": [_mrkdwn(more)]})
    if others:
        late = message.metadata.get("others_late", 0)
        text = render(
            "slack/open_elsewhere.md.j2",
            count=others,
            late=late,
            office=message.metadata,
            deputy_for=message.metadata.get("deputy_for"),
            owners_open=owners_open,
        )
        blocks.append(
            {"type": "context", "block_id": "others", "elements": [_mrkdwn(text.strip())]}
        )
    return blocks


def _item_text(message: Message, item: dict[str, Any]) -> str:
    """An item's section text. Too long for a section, its note (the one free text in it) is
    shortened, not the end of the text: "Nog nodig" and the rest after the note stay
    (walk55b 2). The note is measured as Slack gets it, escaped (``&lt;`` is four characters),
    and cut between characters, never inside an entity."""
    from notifications.render import render, slack_escape

    def rendered(entry: dict[str, Any]) -> str:
        text = render(f"slack/{message.kind}.item.md.j2", item=entry, office=message.metadata)
        return text.strip()

    text = rendered(item)
    note = item.get("latest_note")
    if len(text) <= SECTION_LIMIT or not isinstance(note, str) or not note:
        return text
    note = displayable(note)  # as the template shows it (a CRLF is one line feed)
    room = len(slack_escape(note)) - (len(text) - SECTION_LIMIT)
    return rendered(item | {"latest_note": shortened_note(note, room)})


def shortened_note(note: str, room: int) -> str:
    """``note`` cut to at most ``room`` characters once Slack-escaped, "…" included."""
    from notifications.render import slack_escape

    kept: list[str] = []
    used = 1  # the "…"
    for char in note:
        used += len(slack_escape(char))
        if used > room:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def _section(block_id: str, text: str) -> dict[str, Any]:
    return {"type": "section", "block_id": block_id, "text": _mrkdwn(_cut(text, SECTION_LIMIT))}


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
