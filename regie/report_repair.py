"""Archived reports an earlier Regie stored in a way no rebuild repeats byte for byte, though
their content is made again (walk56d 1, 5). Their archived bytes and cut-off are never
rewritten: ``regie report reproduce`` makes them again as below and says so.

- An agenda pack the meeting preparation archived before its cut-off came from the pack's own
  reading (``made_via`` ``prepare``): its stored cut-off is the generic one, which knows no
  status round or earlier pack, so it can lie before the round the pack showed.
- An agenda pack or progress report archived before its cut-off covered every record it reads
  (fix57l): the accepted additions (migration 0036's row), a renumbering (``regie.item.
  renumbered``), an earlier pack that did not count, the messages of replayed escalations. One
  of those recorded after the newest record the cut-off did count left the cut-off too early.
- Such a report is made again from the records recorded up to its archiving (what it could
  read when it was made) when its stored cut-off does not give its bytes.
- A DOCX archived before its ZIP entries carried fixed times (the wall clock at writing): it
  is compared entry by entry (names and bytes), not as a whole file."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def archiving_cut_off(report: Any, recorded_until: datetime | None) -> datetime | None:
    """The moment to make ``report`` (an archived report) again from when its stored cut-off
    may be too early (above): its archiving; None when it is not an agenda pack or progress
    report archived after its cut-off, or the cut-off was given (``--recorded-until``)."""
    stored, made = report.data_until, report.created_at
    if recorded_until is not None or stored is None:
        return None
    if report.kind.partition("-")[0] not in ("agenda", "voortgang") or made <= stored:
        return None
    return made  # type: ignore[no-any-return]


def same_entries(archived: bytes, rebuilt: bytes) -> bool:
    """Whether two ZIP packages (DOCX) hold the same entries, each with the same bytes,
    whatever their order, times and compression."""
    import io
    import zipfile

    def entries(data: bytes) -> list[tuple[str, bytes]] | None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                return sorted((i.filename, package.read(i)) for i in package.infolist())
        except (zipfile.BadZipFile, KeyError, ValueError):
            return None

    found = entries(archived)
    return found is not None and found == entries(rebuilt)
