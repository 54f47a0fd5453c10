"""The web's Jinja2 environment: autoescaped HTML templates from web/templates, Dutch helpers."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.templating import Jinja2Templates

from governance.characters import displayable_value
from governance.dutch import dutch_number
from governance.labels import (
    dutch_date,
    id_label,
    period_kind_label,
    rag_label,
    source_label,
    state_label,
    without_prefix,
)
from governance.office_names import office_names
from notifications.words import deputy_mark, note_withheld
from web.timestamps import OFFICE_ZONE, dutch_instant

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=displayable_value,  # no control or direction character shown
    )
    env.filters["datum"] = business_date
    env.filters["state_label"] = state_label
    env.filters["rag_label"] = rag_label
    env.filters["source_label"] = source_label
    env.filters["period_kind"] = period_kind_label
    env.filters["iso_datum"] = iso_date
    # "Name (ID)", the id alone where the name is the id: as `regie status` (walk49 9).
    env.globals["id_label"] = id_label
    env.filters["aantal"] = count_of
    env.filters["getal"] = dutch_number  # 2.000: as the texts' catalogues (regie.texts)
    env.filters["without_prefix"] = without_prefix  # the footer, as the mails (walk54b 4)
    env.filters["tijdstip"] = instant  # when recorded: date, time, zone (web.timestamps)
    env.filters["kantoordag"] = office_day  # the office's date of an instant (or its ISO text)
    # The default wording; a page's context (office_zone below) gives the plan's own.
    env.globals["office_words"] = office_names()
    # Words every answer channel shares (notifications/templates/answer_words.txt.j2).
    env.globals["deputy_mark"] = deputy_mark()
    env.globals["note_withheld"] = note_withheld
    return env


@pass_context
def instant(context: Context, value: datetime | None) -> str:
    """When something was recorded, in the office's zone (``office_zone``, which every page
    gets from :func:`office_zone`)."""
    return dutch_instant(value, context.get("office_zone") or OFFICE_ZONE)


@pass_context
def business_date(context: Context, value: date | None) -> str:
    """``18 april 2016``; an instant (a link's expiry) by its date in the office's zone."""
    if isinstance(value, datetime):
        from governance.clock import local_date

        value = local_date(value, context.get("office_zone") or OFFICE_ZONE)
    return dutch_date(value)


@pass_context
def office_day(context: Context, value: datetime | str | None) -> str:
    """``1 juli 2026``: the date of an instant (a datetime or its ISO text) in the office's
    zone, not UTC's (a token made at 22:30 UTC on 30 June was made on 1 July in Amsterdam),
    written as every office page writes a date (walk56c 7)."""
    from governance.clock import local_date

    if value is None or value == "":
        return ""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return dutch_date(local_date(at, context.get("office_zone") or OFFICE_ZONE))


def office_zone(request: Request) -> dict[str, Any]:
    """The office's zone for the page's times: REGIE_TIMEZONE, else the plan's
    ``calendar.timezone`` (parsed once per version; the last good version's while the file
    cannot be read), else the plan's default. And how the pages name the office
    (``office_words``: the plan's ``programme.office_name``, by default "het programmabureau")."""
    app = getattr(request.app.state, "regie", None)
    if app is None:
        return {"office_zone": OFFICE_ZONE, "office_words": office_names()}
    plan = _page_plan(app)
    words = office_names(plan.programme if plan is not None else None)
    if app.settings.timezone:
        return {"office_zone": app.settings.timezone, "office_words": words}
    return {
        "office_zone": plan.calendar.timezone if plan is not None else OFFICE_ZONE,
        "office_words": words,
    }


def _page_plan(app: Any) -> Any:
    """The plan (parsed once per version), the last good version's while the file cannot be
    read, or None."""
    from regie.errors import RegieError
    from regie.plan_cache import current_plan, last_good_plan

    try:
        plan, _ = current_plan(app)
    except RegieError:
        last = last_good_plan(app)
        return last[0] if last is not None else None
    return plan


def count_of(number: int, singular: str, plural: str) -> str:
    """``1 punt``, ``2 punten``, ``0 punten``: a count with its noun in Dutch."""
    # A list passed by mistake would print its repr into the page (read aloud by screen readers).
    if isinstance(number, bool) or not isinstance(number, int):
        raise TypeError(f"aantal needs a whole number, not {type(number).__name__}")
    return f"{number} {singular if number == 1 else plural}"


def iso_date(text: str) -> str:
    """An ISO date as stored in JSON (``2015-06-30``) in Dutch words; other text unchanged."""
    try:
        return dutch_date(date.fromisoformat(text))
    except (TypeError, ValueError):
        return str(text)


def site_root(request: Request) -> dict[str, Any]:
    """``root``: the sub-path the site is served under (REGIE_BASE_URL's path, e.g. ``/regie``;
    empty at the host's root), put before every address a page links to."""
    return {"root": root(request)}


def root(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


def templates() -> Jinja2Templates:
    return Jinja2Templates(env=environment(), context_processors=[office_zone, site_root])
