"""The web's Jinja2 environment: autoescaped HTML templates from web/templates, Dutch helpers."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.templating import Jinja2Templates

from governance.labels import dutch_date, rag_label, state_label

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["datum"] = dutch_date
    env.filters["state_label"] = state_label
    env.filters["rag_label"] = rag_label
    return env


def templates() -> Jinja2Templates:
    return Jinja2Templates(env=environment())
