"""The privacy texts (Dutch, ``regie/templates/privacy/``): what erasure writes in place of
personal data, and the hints that tell an owner who reads a note (AVG)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).parent / "templates" / "privacy"


@cache
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from governance.labels import dutch_date

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=False,  # plain text: stored in the database, escaped where it is shown
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["datum"] = dutch_date
    return env


def text(template: str, **context: Any) -> str:
    """One of the privacy texts (``regie/templates/privacy/<template>.txt.j2``), one line."""
    return " ".join(_environment().get_template(f"{template}.txt.j2").render(**context).split())
