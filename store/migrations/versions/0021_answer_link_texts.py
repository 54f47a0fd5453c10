"""Answer links out of stored message texts.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04

Until now an outbox row held each answer link in full (``<base>/antwoord/<id>.<mac>``) in
``body_text``, ``body_html`` and ``payload`` (the render context's ``answer_url``): whoever read
the database or a backup could answer as the owner while the link was valid. The code now stores
a placeholder, ``<base>/antwoord/{answer-link:<item, base64url>:<salt>}``, and the sender
derives the link's id (an HMAC under REGIE_SECRET_KEY of programme, outbox key, item, contact
and the salt) when the message goes out (``regie.answer_links``). This migration rewrites the
links already stored:

- a message not sent yet (any status but ``sent``): the placeholder, and its ``answer_links`` row
  gets the hash of the id the sender will derive — which needs ``REGIE_SECRET_KEY`` in the
  environment of the upgrade (as ``regie`` itself reads it). Without the key the link is left
  as it is stored (nothing is lost: the sender delivers a text without a placeholder unchanged,
  and the link answers as before), and the upgrade says on stderr how many queued messages
  still carry a stored link (until they are sent; the link then expires as any other). When
  the link's row is gone (e.g. erased) the link is replaced by ``[link verwijderd]`` like a
  sent one;
- a sent message: ``[link verwijderd]``. The link's row keeps its hash, so the link the owner
  received keeps working until it expires, is used or replaced.

The rewrite passes the append-only triggers of ``outbox`` and ``answer_links`` (a sent row never
changes, a link's token never changes) as 0016 did: on SQLite they are dropped and re-created
from their own stored SQL, on PostgreSQL the tables' user triggers are disabled for the rewrite
only. Downgrade: placeholders in unsent messages become ``[link verwijderd]`` (the older code
would send them as they are); the ids cannot come back.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: A working link, with whatever base URL it was made with.
_LINK = re.compile(r"[^\s\"'<>]*/antwoord/([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{16,64})")
#: A placeholder with its URL (what the code stores since this revision).
_PLACEHOLDER = re.compile(
    r"[^\s\"'<>]*/antwoord/\{answer-link:[A-Za-z0-9_-]{1,120}:[A-Za-z0-9_-]{8,32}\}"
)
REMOVED = "[link verwijderd]"
_TABLES = ("outbox", "answer_links")


# Frozen copies of regie.answer_links / store.answers as they are at this revision.
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link_id(secret: str, programme: str, key: str, item: str, contact: str, salt: str) -> str:
    parts = ("regie-answer-link-id-v2", programme, key, item, contact, salt)
    message = "\x1f".join(parts).encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _placeholder(item: str, salt: str) -> str:
    encoded = base64.urlsafe_b64encode(item.encode()).rstrip(b"=").decode()
    return f"{{answer-link:{encoded}:{salt}}}"


def _candidates() -> list[Any]:
    return list(
        op.get_bind()
        .execute(
            sa.text(
                "SELECT id, programme_id, key, status, body_text, body_html, payload FROM outbox "
                "WHERE body_text LIKE '%/antwoord/%' OR body_html LIKE '%/antwoord/%' "
                "OR CAST(payload AS TEXT) LIKE '%/antwoord/%' ORDER BY id"
            )
        )
        .all()
    )


def _rewrite_row(row: Any, rewrite: Callable[[str], str]) -> dict[str, Any] | None:
    """The row's new texts, or None when nothing changed."""
    payload = json.loads(row.payload) if isinstance(row.payload, str) else row.payload
    new = {
        "id": row.id,
        "body_text": rewrite(row.body_text),
        "body_html": rewrite(row.body_html) if row.body_html is not None else None,
        "payload": _walk(payload, rewrite),
    }
    same = (new["body_text"], new["body_html"], new["payload"]) == (
        row.body_text,
        row.body_html,
        payload,
    )
    return None if same else new


def _walk(value: Any, rewrite: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return rewrite(value)
    if isinstance(value, dict):
        return {k: _walk(v, rewrite) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, rewrite) for v in value]
    return value


def _store(rows: list[dict[str, Any]], tokens: list[dict[str, Any]]) -> None:
    if not rows and not tokens:
        return
    bind = op.get_bind()
    outbox = sa.table(
        "outbox",
        sa.column("id", sa.Integer),
        sa.column("body_text", sa.Text),
        sa.column("body_html", sa.Text),
        sa.column("payload", sa.JSON),
    )
    with _guards_lifted():
        for row in rows:
            bind.execute(
                outbox.update()
                .where(outbox.c.id == row["id"])
                .values(
                    body_text=row["body_text"], body_html=row["body_html"], payload=row["payload"]
                )
            )
        if tokens:
            bind.execute(sa.text("UPDATE answer_links SET token = :token WHERE id = :id"), tokens)


def upgrade() -> None:
    rows = _candidates()
    if not rows:
        return
    secret = os.environ.get("REGIE_SECRET_KEY") or None
    links = {
        token: (link_id, programme, contact, item, key)
        for link_id, token, programme, contact, item, key in op.get_bind().execute(
            sa.text(
                "SELECT id, token, programme_id, contact_code, item_code, outbox_key "
                "FROM answer_links"
            )
        )
    }
    new_tokens: dict[int, str] = {}
    salts: dict[int, str] = {}
    kept: set[int] = set()  # unsent messages whose stored links stay (no key)
    changed = []
    for row in rows:
        unsent = row.status != "sent"

        def rewrite(text: str, row: Any = row, unsent: bool = unsent) -> str:
            def one(match: re.Match[str]) -> str:
                found = links.get(_token_hash(match[1]))
                if not (unsent and found and found[4] == row.key):
                    return REMOVED
                link_id, programme, contact, item, key = found
                if not secret:  # kept as stored: the sender delivers it as it is
                    kept.add(row.id)
                    return match[0]
                salt = salts.setdefault(link_id, secrets.token_urlsafe(9))  # text, HTML, payload
                derived = _link_id(secret, programme, key, item, contact, salt)
                new_tokens[link_id] = _token_hash(derived)
                prefix = match[0][: match[0].rindex("/antwoord/")]
                return f"{prefix}/antwoord/{_placeholder(item, salt)}"

            return _LINK.sub(one, text)

        new = _rewrite_row(row, rewrite)
        if new is not None:
            changed.append(new)
    tokens = [{"id": link_id, "token": token} for link_id, token in new_tokens.items()]
    _store(changed, tokens)
    if kept:
        one = len(kept) == 1
        print(  # once, on the upgrading command's stderr (`regie db upgrade`, or any first
            # command on SQLite); migrations have no other way to the operator
            f"migration 0021: REGIE_SECRET_KEY is not set: {len(kept)} queued "
            + ("message keeps its answer link" if one else "messages keep their answer links")
            + " as stored ("
            + ("it is" if one else "they are")
            + " delivered and answer as before, and stay readable in the database and its "
            "backups until sent and expired); messages queued from now on store no link",
            file=sys.stderr,
        )


def downgrade() -> None:
    changed = []
    for row in _candidates():
        if row.status == "sent":
            continue
        new = _rewrite_row(row, lambda text: _PLACEHOLDER.sub(REMOVED, text))
        if new is not None:
            changed.append(new)
    _store(changed, [])


@contextmanager
def _guards_lifted() -> Iterator[None]:
    """The outbox's and answer links' triggers off for the block, then back exactly as they were
    (SQLite: re-created from their own stored SQL, whatever revision last wrote them)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in _TABLES:
            op.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        yield
        for table in _TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        return
    saved = bind.execute(
        sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name IN ('outbox', 'answer_links') ORDER BY name"
        )
    ).all()
    for name, _ in saved:
        op.execute(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in saved:
        op.execute(sql)
