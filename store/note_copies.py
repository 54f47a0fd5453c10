"""Where a redacted note was copied, and its copy replaced without touching anything else.

A note may be short ("1", "ok"): replacing it as a substring of every string would rewrite item
ids (``2.1``), stages (``due_soon:2015-09-14``), keys and other items' texts (review3, finding
1). So a copy is replaced only where the note is quoted:

- in JSON (an outbox payload, an event payload): a note field (:data:`NOTE_FIELDS`) equal to
  the note, and in a dict about the redacted item (its ``id`` / ``item_id`` names it) any other
  non-structural string equal to it; a dict about another item is never touched. Only where the
  copy is known to be this update's (``loose``: an event of the item naming the update) is the
  note replaced inside a longer note field;
- in a message's texts: re-rendered from the redacted payload's ``render`` context by the
  caller's renderer, else the form the templates quote it in (``'note'``, HTML-escaped in the
  HTML part); only when the message concerns the item and holds no quoted form is the note
  replaced as a substring of its texts (a message queued by hand or an older template).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from store.records import OutboxRecord

#: Fields that hold an owner's note (payload items, the ``render`` context, event payloads).
NOTE_FIELDS = frozenset({"latest_note", "note", "comment"})
#: Fields that name, date or classify something, or are the plan's own text: never rewritten,
#: whatever they hold.
STRUCTURAL = frozenset(
    {"id", "item_id", "item_code", "item", "action_id", "stage", "key", "kind", "state",
     "status", "latest_status", "recipient", "contact", "owners", "no_contact_for",
     "deputy_for", "channel", "as_of", "due", "gereed", "update_id", "answer_url", "url",
     "latest_on", "latest_forecast", "earlier_forecast", "earlier_on", "forecast",
     "completed_on", "reported_on",
     "handover_from", "handover_since", "handover_last", "handover_for",
     "handover_was", "author", "by",
     "title",
     "latest_kind", "latest_by",
     "action_title", "programme", "short_title"}
)  # fmt: skip

#: Renders a message again from its (redacted) payload's ``render`` context; None: it cannot.
Rerender = Callable[[OutboxRecord], OutboxRecord | None]


def _own_item(value: Mapping[str, Any]) -> str | None:
    """The item a payload dict is about (``item_id`` or ``id``), if it names one."""
    for name in ("item_id", "id"):
        own = value.get(name)
        if isinstance(own, str | int) and not isinstance(own, bool) and str(own):
            return str(own)
    return None


def item_ids(payload: Any) -> set[str]:
    """The items a message's payload is about: its items (``id``), its ``render`` context's
    items (``item_id``) and a top-level ``item_id``."""
    if not isinstance(payload, Mapping):
        return set()
    found: set[str] = set()
    render = payload.get("render")
    for items in (
        payload.get("items"),
        render.get("items") if isinstance(render, Mapping) else None,
    ):
        if isinstance(items, list):
            found.update(own for i in items if isinstance(i, Mapping) and (own := _own_item(i)))
    if isinstance(payload.get("item_id"), str | int):
        found.add(str(payload["item_id"]))
    return found


def redact_json(value: Any, item: str, old: str, new: str, *, loose: bool = False) -> Any:
    """``value`` with the quoted copies of note ``old`` of ``item`` replaced by ``new``."""
    return _walk(value, item, old, new, loose, mine=False, key=None)


def _walk(value: Any, item: str, old: str, new: str, loose: bool, *, mine: bool, key: Any) -> Any:
    if isinstance(value, str):
        if key in STRUCTURAL:
            return value
        if value == old and (mine or key in NOTE_FIELDS):
            return new
        if loose and key in NOTE_FIELDS:
            return value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_walk(v, item, old, new, loose, mine=mine, key=key) for v in value]
    if isinstance(value, Mapping):
        own = _own_item(value)
        if own is not None and own != item:
            return value  # another item's: its note, if equal, is another update's
        mine = mine or own == item
        return {k: _walk(v, item, old, new, loose, mine=mine, key=k) for k, v in value.items()}
    return value


def quoted_forms(old: str, new: str) -> tuple[dict[str, str], dict[str, str]]:
    """The note as the templates quote it (``'note'``) in text and in HTML, and its
    replacement: (text forms, HTML forms)."""
    from markupsafe import escape

    text = {f"'{old}'": f"'{new}'"}
    html = {f"'{escape(old)}'": f"'{escape(new)}'", **text}
    return text, html


def _replace(value: str | None, forms: Mapping[str, str]) -> str | None:
    if value is None:
        return None
    for old, new in forms.items():
        value = value.replace(old, new)
    return value


def _holds(texts: Iterable[str | None], forms: Iterable[str]) -> bool:
    return any(t is not None and f in t for t in texts for f in forms)


def redact_message(
    message: OutboxRecord, item: str, old: str, new: str, rerender: Rerender | None
) -> OutboxRecord:
    """``message`` (one about ``item``, or about no item and quoting the note) with the note's
    copies replaced: its payload as :func:`redact_json`, its texts re-rendered from the
    redacted ``render`` context when ``rerender`` can, else the quoted form replaced. Only a
    message without a quoted form whose texts held the note (its ``render`` context did, or,
    without one, it is about the item or its payload carried the note) gets the note replaced
    as a substring of its texts: the old behaviour, confined to this message."""
    from dataclasses import replace

    from markupsafe import escape

    payload = redact_json(message.payload, item, old, new)
    redacted = replace(message, payload=payload)
    render = payload.get("render")
    if render != message.payload.get("render") and isinstance(render, Mapping):
        again = rerender(redacted) if rerender is not None else None
        if again is not None:
            return again
    text, html = quoted_forms(old, new)
    subject, body = message.subject, message.body_text
    if _holds((subject, body), text) or _holds((message.body_html,), html):
        return replace(
            redacted,
            subject=_replace(subject, text) or "",
            body_text=_replace(body, text) or "",
            body_html=_replace(message.body_html, html),
        )
    if isinstance(message.payload.get("render"), Mapping):
        carried = render != message.payload.get("render")  # what its texts were rendered from
    else:
        carried = item in item_ids(message.payload) or payload != message.payload
    if not carried:
        return redacted  # the note is in it only as part of other text (a date, an id)
    loose_html = {str(escape(old)): str(escape(new)), old: new}
    return replace(
        redacted,
        subject=_replace(subject, {old: new}) or "",
        body_text=_replace(body, {old: new}) or "",
        body_html=_replace(message.body_html, loose_html),
    )
