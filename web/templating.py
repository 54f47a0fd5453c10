"""The web's Jinja2 environment: autoescaped HTML templates from web/templates, Dutch helpers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.templating import Jinja2Templates

from governance.characters import displayable_value
from governance.labels import (
    dutch_date,
    period_kind_label,
    rag_label,
    source_label,
    state_label,
)
from web.timestamps import dutch_instant

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
    env.filters["datum"] = dutch_date
    env.filters["state_label"] = state_label
    env.filters["rag_label"] = rag_label
    env.filters["source_label"] = source_label
    env.filters["period_kind"] = period_kind_label
    env.filters["iso_datum"] = iso_date
    env.filters["aantal"] = count_of
    env.filters["tijdstip"] = dutch_instant  # when recorded: date, time, zone (web.timestamps)
    return env


def count_of(number: int, singular: str, plural: str) -> str:
    """``1 onderdeel``, ``2 onderdelen``, ``0 onderdelen``: a count with its noun in Dutch."""
    return f"{number} {singular if number == 1 else plural}"


def iso_date(text: str) -> str:
    """An ISO date as stored in JSON (``2015-06-30``) in Dutch words; other text unchanged."""
    try:
        return dutch_date(date.fromisoformat(text))
    except (TypeError, ValueError):
        return str(text)


def templates() -> Jinja2Templates:
    return Jinja2Templates(env=environment())
