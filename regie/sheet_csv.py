"""The office's CSV downloads (the overdue list, the follow-up list, the decisions register) as
a spreadsheet opens them: UTF-8 with BOM, ``;``, CRLF, as the update sheet; each text cell
inert, so a title, name or note starting with ``=`` is not a formula
(:func:`governance.agenda.inert`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date


def cell(value: object) -> str:
    """A text cell, inert; empty for None."""
    from governance.agenda import inert

    return "" if value is None else inert(str(value)) or ""


def day(value: date | None) -> str:
    """An ISO date a spreadsheet sorts; empty for None."""
    return value.isoformat() if value else ""


def sheet(header: Iterable[str], rows: Iterable[Iterable[str]]) -> bytes:
    """The file: ``header``, then ``rows`` (cells already made with :func:`cell`/:func:`day`)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
