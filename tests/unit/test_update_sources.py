"""Every source a status update can have on record (the channel an owner answered by, or a
decision) has a Dutch label, from one place (governance.labels), and the item page's "Bron"
column shows it, never the key (``decision``, ``email``, ``slack``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from governance.labels import SOURCE_LABELS, source_label
from web.templating import environment

ROOT = Path(__file__).parents[2]
#: The calls that make or record a status update, and their keyword naming its source.
_MAKERS = {"StatusUpdate": "source", "replace": "source", "record_answer": "channel",
           "record_update": "source"}  # fmt: skip


def _literals(tree: ast.AST) -> set[str]:
    """``source="x"`` / ``channel="x"`` given to a call that makes or records an update, and a
    default of that parameter in such a function (a meeting's ``source="db"`` is neither)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            found |= {k.value.value for k in node.keywords
                      if k.arg == _MAKERS.get(name) and isinstance(k.value, ast.Constant)
                      and isinstance(k.value.value, str)}  # fmt: skip
        elif isinstance(node, ast.FunctionDef) and node.name in _MAKERS:
            args = node.args.args + node.args.kwonlyargs
            defaults = [None] * (len(node.args.args) - len(node.args.defaults))
            defaults += [*node.args.defaults, *node.args.kw_defaults]
            for arg, default in zip(args, defaults, strict=True):
                if arg.arg == _MAKERS[node.name] and isinstance(default, ast.Constant):
                    found.add(str(default.value))
    return found


def _update_sources() -> set[str]:
    """Every source the code can store on a status update: the answer channels, the dataclass's
    default, and every literal the code makes or records an update with (so a new channel added
    there is walked here too)."""
    from governance.decisions import DECISION_SOURCE, REPORT_SOURCE
    from governance.updates import StatusUpdate
    from regie.answers import CHANNELS

    # A decision's and a report's updates name their source by a constant, not by a literal the
    # walk sees.
    kinds = set(CHANNELS) | {StatusUpdate.__dataclass_fields__["source"].default}
    kinds |= {DECISION_SOURCE, REPORT_SOURCE}
    for package in ("governance", "regie", "store", "web", "flows"):
        for source in (ROOT / package).rglob("*.py"):
            kinds |= _literals(ast.parse(source.read_text(encoding="utf-8")))
    return kinds - {""}  # the placeholder regie.answers fills in with the channel


def test_every_update_source_has_a_dutch_label_of_its_own() -> None:
    kinds = _update_sources()
    assert {"cli", "import", "email", "slack", "web", "decision", "report"} <= kinds
    assert kinds <= set(SOURCE_LABELS), kinds - set(SOURCE_LABELS)
    said = {kind: source_label(kind) for kind in sorted(kinds)}
    for kind, text in said.items():
        assert text and text != kind and text != "overig", (kind, text)
    assert len(set(said.values())) == len(said)  # no two sources read alike
    assert said["decision"] == "besluit" and said["email"] == "link in e-mail"
    assert said["report"] == "gearchiveerde rapportage"


@pytest.mark.parametrize("kind", sorted(SOURCE_LABELS))
def test_the_item_page_filter_shows_the_label(kind: str) -> None:
    shown = environment().from_string("{{ s | source_label }}").render(s=kind)
    assert shown == SOURCE_LABELS[kind]


@pytest.mark.parametrize(("given", "shown"), [("fax", "overig"), ("", "–"), (None, "–")])
def test_an_unknown_or_missing_source_is_never_shown_raw(given: str | None, shown: str) -> None:
    assert environment().from_string("{{ s | source_label }}").render(s=given) == shown
