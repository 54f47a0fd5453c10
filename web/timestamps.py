"""When something was recorded, as the office pages show it: date, time and zone, in Dutch.

Kept apart from the business date (``datum``): a status update *for* 21 September 2015 may be
*recorded* on 4 December 2026; the pages say both.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from governance.labels import dutch_date

#: The office's zone on the pages (the label says so on every time shown).
OFFICE_ZONE = "Europe/Amsterdam"


def dutch_instant(value: datetime | None, zone: str = OFFICE_ZONE) -> str:
    """``4 december 2026 04:10:35 (Amsterdamse tijd, UTC+01:00)``; empty for none."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(zone))
    offset = local.strftime("%z")
    where = "Amsterdamse tijd" if zone == OFFICE_ZONE else zone
    return f"{dutch_date(local.date())} {local:%H:%M:%S} ({where}, UTC{offset[:3]}:{offset[3:]})"
