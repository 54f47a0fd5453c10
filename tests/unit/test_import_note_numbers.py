"""The notes `regie import-updates` (and `regie update`) add agree in number with what they count
(walk56a 8): "it shows"/"they show" as nagekomen, "read it"/"read them"."""

from __future__ import annotations

from datetime import date

from governance.updates import StatusUpdate, UpdateStatus
from regie.answers import Recorded, backdated_note, office_note

LAST = date(2026, 12, 7)


def _recorded(item: str) -> Recorded:
    update = StatusUpdate(item, UpdateStatus.ON_TRACK, date(2025, 7, 7), id=1)
    return Recorded(update, f"k-{item}", backdated=LAST)


def test_one_backdated_update_shows_and_several_show() -> None:
    one = backdated_note([_recorded("1.1")])
    assert one is not None and one.startswith("note: 1 update back-dated to 2025-07-07")
    assert one.endswith("and it shows as nagekomen (recorded today)")
    four = backdated_note([_recorded(i) for i in ("1.1", "1.2", "2.1", "2.2")])
    assert four is not None and four.startswith("note: 4 updates back-dated to 2025-07-07")
    assert four.endswith("and they show as nagekomen (recorded today)")


def test_one_office_note_is_read_and_several_are_read_as_them() -> None:
    how = "fill in the sheet's contact column"
    assert "(line 4: no contact): every owner's contacts read it;" in office_note([4], how)
    assert "(lines 4, 10: no contact): every owner's contacts read them;" in office_note(
        [4, 10], how
    )
    assert "own note: every owner's contacts read it;" in office_note(None, "name them")
