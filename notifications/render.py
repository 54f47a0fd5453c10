"""Render user-facing messages (Dutch by default) from Jinja2 templates."""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from datetime import date
from functools import cache, lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from governance.characters import displayable, displayable_value
from governance.labels import without_prefix  # the mails' and the web pages' one helper


def format_date_nl(value: date | None, fmt: str = "long") -> str:
    """'30 september 2015' — how a Dutch reader expects a deadline."""
    if value is None:
        return "geen datum"
    return _format_date_nl(value, fmt)


@lru_cache(maxsize=8192)
def _format_date_nl(value: date, fmt: str) -> str:
    # Babel takes ~0.07 ms a date; a large digest repeats the same few hundred dates thousands
    # of times.
    from babel.dates import format_date

    return format_date(value, format=fmt, locale="nl_NL")


def parse_iso_date(value: str | date | None) -> date | None:
    """ISO text as a date (the ``iso_date`` filter): a payload keeps its dates as ISO text, the
    ``datum`` filter formats a date. Empty or missing stays None ("geen datum")."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value) if value else None


#: Line breaks, other control characters and bidirectional overrides: none belongs in a header.
_UNSAFE_IN_HEADER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")


def header_text(value: str) -> str:
    """``value`` on one line, safe for a mail header or a Slack title (the plan validator
    already refuses such characters; this is the second line of defence)."""
    return " ".join(_UNSAFE_IN_HEADER.sub(" ", value).split())


def owners_shown(item: Mapping[str, Any]) -> str:
    """An item's owners as the reader knows them (the plan's ``short_name`` or ``name``); a
    message queued before it kept only their ids."""
    return ", ".join(item.get("owner_names") or item.get("owners") or ())


def slack_escape(text: str) -> str:
    """Slack's mrkdwn escaping (the ``slack`` filter): only &, < and > are special."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_lines(text: str) -> Markup:
    """``text`` escaped, each line break a ``<br>`` (the ``html_lines`` filter): a note's lines
    in an HTML mail, where a bare line feed reads as a space (walk55b 5)."""
    lines = displayable(str(text)).split("\n")
    return Markup("<br>\n").join(escape(line) for line in lines)


class _Environment(Environment):
    """Jinja2's environment with a quicker ``item.field`` on plain dicts (the item contexts).

    The base class tries ``getattr(obj, name)`` first and falls back to ``obj[name]``: on a
    dict that is an AttributeError raised and caught per lookup, most of a large digest's
    rendering time. A name that is not an attribute of ``dict`` would fail that way anyway,
    so reading the key first gives the same value; ``.get``, ``.items`` … are left alone.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


_DICT_ATTRIBUTES = frozenset(dir(dict))


@cache
def environment() -> Environment:
    env = _Environment(
        loader=PackageLoader("notifications", "templates"),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,  # a missing field is a bug, not an empty string
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=displayable_value,  # no control or direction character shown
    )
    env.filters["datum"] = format_date_nl
    env.filters["iso_date"] = parse_iso_date
    env.filters["slack"] = slack_escape
    env.filters["html_lines"] = html_lines
    from governance.labels import rag_label, state_label

    env.filters["state"] = state_label
    env.filters["rag"] = rag_label
    env.filters["eigenaren"] = owners_shown
    env.filters["without_prefix"] = without_prefix
    from governance.office_names import office_names

    # {{ office_names(programme).the }}: how the plan names the office (a programme, or a
    # context's or payload's mapping, one made before the plan could name it too).
    env.globals["office_names"] = office_names
    return env


#: Compiling a template in two threads at once trips CPython 3.11's AST validator ("AST
#: constructor recursion depth mismatch", python/cpython#106905): compile one at a time.
_COMPILING = threading.Lock()


def render(template: str, **context: Any) -> str:
    with _COMPILING:
        compiled = environment().get_template(template)  # cached after the first time
    return compiled.render(**context)


def phrase(template: str, macro: str, *args: Any) -> str:
    """Macro ``macro`` of ``template`` called with ``args``: a short text, not a message."""
    with _COMPILING:
        compiled = environment().get_template(template)
    return str(getattr(compiled.module, macro)(*args))
