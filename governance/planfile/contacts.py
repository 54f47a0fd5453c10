"""A separate contacts file (``REGIE_CONTACTS``): real addresses need not live in git.

Same ``contacts:`` list as the plan file, checked the same way (``PATH:LINE:COL: message``); it
replaces the plan's (example) contacts. Organisations are those of the plan.
"""

from __future__ import annotations

import os
from dataclasses import replace

from ruamel.yaml.nodes import MappingNode

from governance.plan import Contact, Plan
from governance.planfile.build import _contacts
from governance.planfile.load import PlanInvalid, _compose, _read
from governance.planfile.nodes import Fields, Problem, Problems, describe, is_null
from governance.planfile.safety import check_text_safety

__all__ = ["load_contacts", "parse_contacts", "validate_contacts_file", "with_contacts"]


def parse_contacts(text: str, path: str, org_ids: list[str]) -> tuple[Contact, ...]:
    problems = Problems(path)
    root = _compose(text, problems)
    contacts: tuple[Contact, ...] = ()
    if root is None or is_null(root):
        if not problems:
            problems.add(None, "is empty: a contacts file needs a 'contacts:' list")
    elif not isinstance(root, MappingNode):
        problems.add(
            root, f"a contacts file must be a mapping with 'contacts:', not {describe(root)}"
        )
    else:
        # The plan file's own checks (walk57b 1): a line break in a name or address, a
        # direction-changing character, an address that is none. This file is where a
        # production office keeps the real names, so it must not be the one left unchecked.
        check_text_safety(root, problems)
        top = Fields(root, ("contacts",), "the contacts file", problems)
        if top.value("contacts", required=True) is not None:
            contacts = _contacts(top, org_ids, problems)
    if problems:
        raise PlanInvalid(problems.sorted())
    return contacts


def load_contacts(path: str | os.PathLike[str], org_ids: list[str]) -> tuple[Contact, ...]:
    name = os.fspath(path)
    return parse_contacts(_read(name), name, org_ids)


def validate_contacts_file(
    path: str | os.PathLike[str], plan: Plan
) -> tuple[Plan | None, list[Problem]]:
    """The plan with the file's contacts instead of its own, or the file's problems."""
    try:
        contacts = load_contacts(path, [o.id for o in plan.organisations])
    except PlanInvalid as exc:
        return None, exc.problems
    return with_contacts(plan, contacts), []


def with_contacts(plan: Plan, contacts: tuple[Contact, ...]) -> Plan:
    return replace(plan, contacts=contacts)
