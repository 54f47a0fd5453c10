"""A contact's ``formerly``: the ids a renamed contact had before (docs/plan-schema.md, "Contact
ids"). Read as a list of ids and checked once the whole list is known, one problem each at the
old id (``PATH:LINE:COL``): an id naming itself, an old id that is still a contact's id, and
an old id two contacts claim."""

from __future__ import annotations

import re

from ruamel.yaml.nodes import Node

from governance.planfile.nodes import Fields, Problems, shown

__all__ = ["check_formerly", "former_ids"]


def former_ids(
    f: Fields, contact_id: str, pattern: re.Pattern[str], problems: Problems
) -> list[tuple[str, Node]]:
    """The old ids under ``formerly`` (a list), each well formed as a contact id."""
    found = f.refs("formerly", "contact id") or []
    out: list[tuple[str, Node]] = []
    for old, node in found:
        old = old.strip()
        if not pattern.fullmatch(old):
            problems.add(
                node,
                f"contact {shown(contact_id)}: former id {shown(old)} may only contain a-z, "
                "A-Z, 0-9, '.', '_', '-' and '@', starting with a letter or digit",
            )
            continue
        out.append((old, node))
    return out


def check_formerly(
    formerly: list[tuple[str, str, Node]], ids: list[str], problems: Problems
) -> None:
    """``formerly``: (contact id, old id, where) in file order. A renamed id is one step: the
    old id is gone from the contacts, and it is one person's."""
    claimed: dict[str, tuple[str, Node]] = {}
    current = set(ids)
    for contact_id, old, node in formerly:
        who = f"contact {shown(contact_id)}"
        if old == contact_id:
            problems.add(node, f"{who} names their own id in 'formerly'")
        elif old in current:
            problems.add(
                node,
                f"{who}: 'formerly' names {shown(old)}, which is still a contact's id; "
                "'formerly' is the id this person had before the rename, and that id must be "
                "gone from the contacts",
            )
        elif old in claimed:
            first, where = claimed[old]
            problems.add(
                node,
                f"{who}: {shown(old)} is already named in 'formerly' by contact {shown(first)} "
                f"at line {where.start_mark.line + 1}; an old id is one person's",
            )
        else:
            claimed[old] = (contact_id, node)
