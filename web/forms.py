"""Reading a posted form within limits, for every form of the site: the answer link's and the
office's (login, logout and every logged-in form).

Starlette reads any body it is given and answers an oversized or malformed one in English plain
text (``Field exceeded maximum size of 1024KB.``, ``Invalid multipart data.``). Here such a body
is :class:`FormRefused` instead, with its status code, so that each caller refuses it with its
own Dutch page: 413 for a body larger than declared allowed, 400 for one that cannot be read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.datastructures import FormData
    from starlette.requests import Request

#: The answer form's limit: a note of at most 2000 characters, even percent-encoded, and a few
#: short fields.
ANSWER_FORM_BYTES = 20_000
#: The office's forms: at most two notes of 2000 characters (a correction's reason) besides
#: short fields; generous, as only logged-in officers and the login form post here.
OFFICE_FORM_BYTES = 64_000
#: No form of the site has more fields; a file is never expected.
MAX_FIELDS = 20


class FormRefused(Exception):
    """The body is not a form Regie reads: ``status`` 413 (too large) or 400 (malformed)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


async def read_form(request: Request, max_bytes: int) -> FormData:
    """The request's form: at most ``max_bytes`` declared (``Content-Length``), at most
    :data:`MAX_FIELDS` fields, no files; else :class:`FormRefused`. A body sent without a
    length is still bounded by the field count and Starlette's limit per field."""
    declared = request.headers.get("content-length") or "0"
    if not (declared.isascii() and declared.isdigit()):
        raise FormRefused(400)
    if int(declared) > max_bytes:
        raise FormRefused(413)
    try:
        return await request.form(max_files=0, max_fields=MAX_FIELDS)
    except Exception as exc:  # Starlette's HTTPException, a decoding error: a malformed body
        raise FormRefused(400) from exc
