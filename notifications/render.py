"""Render user-facing messages (Dutch by default) from Jinja2 templates."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def format_date_nl(value: date | None, fmt: str = "long") -> str:
    """'30 september 2015' — how a Dutch reader expects a deadline."""
    if value is None:
        return "geen datum"
    from babel.dates import format_date

    return format_date(value, format=fmt, locale="nl_NL")


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("notifications", "templates"),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,  # a missing field is a bug, not an empty string
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["datum"] = format_date_nl
    from notifications.slack_blocks import escape

    env.filters["slack"] = escape
    from governance.labels import rag_label, state_label

    env.filters["state"] = state_label
    env.filters["rag"] = rag_label
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
