"""When something was recorded, as the office pages show it: date, time and zone, in Dutch.

Kept apart from the business date (``datum``): a status update *for* 21 September 2015 may be
*recorded* on 4 December 2026; the pages say both. The zone is the office's: REGIE_TIMEZONE,
else the plan's ``calendar.timezone`` (as the command line's times: ``regie.history``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from governance.labels import dutch_date

#: The zone when neither REGIE_TIMEZONE nor a readable plan gives one (the plan's default).
OFFICE_ZONE = "Europe/Amsterdam"

#: How a page names a zone it knows in Dutch; any other zone is named by its IANA name.
ZONE_LABELS = {
    "Europe/Amsterdam": "Amsterdamse tijd",
    "Europe/Brussels": "Brusselse tijd",
    "Europe/Luxembourg": "Luxemburgse tijd",
    "Europe/Paris": "Parijse tijd",
    "Europe/Berlin": "Berlijnse tijd",
    "Europe/London": "Londense tijd",
    "UTC": "UTC",
}


def zone_label(zone: str) -> str:
    """``Brusselse tijd`` for Europe/Brussels; the zone's own name for one not in the table."""
    return ZONE_LABELS.get(zone, zone)


def dutch_instant(value: datetime | None, zone: str = OFFICE_ZONE) -> str:
    """``4 december 2026 04:10:35 (Amsterdamse tijd, UTC+01:00)`` in ``zone``; empty for none."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(zone))
    offset = local.strftime("%z")
    where = zone_label(zone)
    return f"{dutch_date(local.date())} {local:%H:%M:%S} ({where}, UTC{offset[:3]}:{offset[3:]})"
