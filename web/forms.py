"""Reading a posted body within limits: every form of the site (the answer link's and the
office's: login, logout and every logged-in form) and Slack's interactivity endpoint.

Starlette reads any body it is given and answers an oversized or malformed one in English plain
text (``Field exceeded maximum size of 1024KB.``, ``Invalid multipart data.``). Here such a body
is :class:`FormRefused` instead, with its status code, so that each caller refuses it with its
own Dutch page: 413 for a body larger than allowed, 400 for one that cannot be read.

The limit holds however the body is framed: a declared ``Content-Length`` over it is refused
before a byte is read, and a body sent without one (``Transfer-Encoding: chunked``) is counted
while it is read and refused as soon as it passes the limit (as nginx's
``client_max_body_size`` does), so no more than the limit is ever held in memory.
"""

from __future__ import annotations

from contextlib import aclosing
from typing import TYPE_CHECKING

from governance.answers import NOTE_MAX

if TYPE_CHECKING:
    from starlette.datastructures import FormData
    from starlette.requests import Request
    from starlette.types import Message


def row_id(text: str) -> int:
    """A database id from an address or a form field: ASCII digits only, at most 18 of them.
    ``str.isdigit`` and ``int`` take any script's digits (a fullwidth ``５`` revoked token 5,
    walk57b 9); beyond 18 digits no database integer is ours. ``ValueError`` otherwise."""
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise ValueError(text)
    return int(text)


#: The answer form's limit: a note of :data:`~governance.answers.NOTE_MAX` characters of up to
#: 4 bytes each in UTF-8, percent-encoded (3 bytes per byte: ``%F0%9F%98%80``), and 4 000 bytes
#: for the other fields (status, dates, the CSRF token, the field names).
ANSWER_FORM_BYTES = NOTE_MAX * 4 * 3 + 4_000
#: The office's forms: at most two notes of 2000 characters (a correction's reason) besides
#: short fields; generous, as only logged-in officers and the login form post here.
OFFICE_FORM_BYTES = 64_000
#: No form of the site has more fields; a file is never expected.
MAX_FIELDS = 20


class FormRefused(Exception):
    """The body is not one Regie reads: ``status`` 413 (too large) or 400 (malformed)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The request's body, at most ``max_bytes`` of it, else :class:`FormRefused` (413): a
    larger declared length unread, a larger body without one as soon as it passes the limit.
    A ``Content-Length`` that is not a number, or a client gone mid-body, is a 400."""
    from starlette.requests import ClientDisconnect

    declared = request.headers.get("content-length") or "0"
    if not (declared.isascii() and declared.isdigit()):
        raise FormRefused(400)
    if int(declared) > max_bytes:
        raise FormRefused(413)
    chunks: list[bytes] = []
    size = 0
    try:
        async with aclosing(request.stream()) as stream:
            async for chunk in stream:
                size += len(chunk)
                if size > max_bytes:
                    raise FormRefused(413)
                chunks.append(chunk)
    except ClientDisconnect as exc:
        raise FormRefused(400) from exc
    return b"".join(chunks)


async def read_form(request: Request, max_bytes: int) -> FormData:
    """The request's form: a body of at most ``max_bytes`` (:func:`read_body`), at most
    :data:`MAX_FIELDS` fields, no files; else :class:`FormRefused`."""
    from starlette.requests import Request as Parsed

    body = await read_body(request, max_bytes)

    async def replay() -> Message:  # the body read above, for Starlette's form parser
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        return await Parsed(request.scope, replay).form(max_files=0, max_fields=MAX_FIELDS)
    except Exception as exc:  # Starlette's HTTPException, a decoding error: a malformed body
        raise FormRefused(400) from exc
