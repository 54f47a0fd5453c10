"""The calendar-token form's "Bereik" field: what is wrong with a scope, for a Dutch message.

:func:`feeds.scope.parse_scope` judges the scope; its errors are English for the command line.
:func:`scope_problem` names what it refused in parts, and ``agenda.html.j2`` words them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from governance.plan import Plan


@dataclass(frozen=True, slots=True)
class ScopeProblem:
    #: empty | unknown_kind | takes_no_value | no_value | unknown_value | invalid (anything else)
    problem: str
    text: str  # the scope as given, trimmed
    kind: str = ""  # org, step, contact or body
    value: str = ""
    known: tuple[str, ...] = ()  # the values the plan has for ``kind``


def scope_problem(text: str, plan: Plan) -> ScopeProblem | None:
    """None for a scope the feeds accept, else what is wrong with it."""
    from feeds.scope import KINDS, ScopeError, parse_scope

    text = text.strip()
    try:
        parse_scope(text, plan)
    except ScopeError:
        pass
    else:
        return None
    kind, colon, value = text.partition(":")
    if not text:
        return ScopeProblem("empty", text)
    if kind not in KINDS:
        return ScopeProblem("unknown_kind", text)
    if kind == "programme":
        return ScopeProblem("takes_no_value" if colon else "invalid", text)
    known = _known(kind, plan)
    if not value:
        return ScopeProblem("no_value", text, kind, known=known)
    if value not in known:
        return ScopeProblem("unknown_value", text, kind, value, known)
    return ScopeProblem("invalid", text, kind, value, known)


def _known(kind: str, plan: Plan) -> tuple[str, ...]:
    if kind == "org":
        return tuple(o.id for o in plan.organisations)
    if kind == "step":
        return tuple(str(s.number) for s in plan.steps)
    if kind == "contact":
        return tuple(c.id for c in plan.contacts)
    if kind == "body":
        return tuple(b.id for b in plan.governance)
    return ()


@dataclass(frozen=True, slots=True)
class ScopeChoice:
    value: str  # the scope as typed (``org:GGD``): what the form posts
    name: str  # what a person recognises: a name, a step's title
    #: The id shown beside it (for `regie calendar token create --scope`); None where the
    #: name holds it already ("Stap 1: …", not "Stap 1: … (1)": walk57c 12).
    code: str | None


@dataclass(frozen=True, slots=True)
class ScopeGroup:
    label: str  # Dutch: the kind of scope
    choices: tuple[ScopeChoice, ...]


@dataclass(frozen=True, slots=True)
class ScopeChoices:
    """The "Bereik" picker on ``/agenda``: every scope the plan has, grouped and named."""

    groups: tuple[ScopeGroup, ...]
    examples: tuple[str, ...] = ()  # governance bodies whose meeting dates are an example's


def scope_choices(plan: Plan) -> ScopeChoices:
    """Contacts, organisations, steps and governance bodies by name (plan order for steps and
    bodies, alphabetical for people and organisations: a long list is searched by name).
    Organisations by ``short_name``, else ``name``, as mails, packs and answer pages show them."""
    orgs = {o.id: o.label for o in plan.organisations}
    contacts = sorted(plan.contacts, key=lambda c: (c.name.casefold(), c.id))
    sample = {b.id for b in plan.governance if b.meetings is not None and b.meetings.example}
    groups = (
        ScopeGroup("Alles", (ScopeChoice("programme", "Het hele programma", "programme"),)),
        ScopeGroup(
            "Contactpersonen (de deadlines waarover zij worden herinnerd)",
            tuple(
                ScopeChoice(
                    f"contact:{c.id}", f"{c.name}, {orgs.get(c.organisation, c.organisation)}", c.id
                )
                for c in contacts
            ),
        ),
        ScopeGroup(
            "Organisaties (de deadlines van hun acties)",
            tuple(
                ScopeChoice(f"org:{o.id}", o.label, o.id)
                for o in sorted(plan.organisations, key=lambda o: (o.label.casefold(), o.id))
            ),
        ),
        ScopeGroup(
            "Stappen",
            tuple(
                ScopeChoice(f"step:{s.number}", f"Stap {s.number}: {s.title}", None)
                for s in plan.steps
            ),
        ),
        ScopeGroup(
            "Overleggen (hun vergaderingen)",
            tuple(
                ScopeChoice(
                    f"body:{b.id}", b.name + (" – voorbeelddata" if b.id in sample else ""), b.id
                )
                for b in plan.governance
            ),
        ),
    )
    examples = tuple(b.name for b in plan.governance if b.id in sample)
    return ScopeChoices(tuple(g for g in groups if g.choices), examples)


#: Each kind of scope in Dutch, beside a subscription's name on ``/agenda``.
KIND_NOUNS = {
    "programme": "",  # its name says it all: "Het hele programma"
    "contact": "contactpersoon",
    "org": "organisatie",
    "step": "stap",
    "body": "overleg",
}


@dataclass(frozen=True, slots=True)
class ScopeName:
    """A stored scope (``org:GGD``) as the subscriptions table shows it: the plan's name first,
    the kind and the raw code as a secondary detail (for the command line and scripts)."""

    code: str
    name: str | None  # None: not in the plan (any more), or the plan cannot be read now
    kind: str  # Dutch; "" for the programme, and when the plan cannot be read


def scope_names(scopes: list[str], choices: ScopeChoices | None) -> dict[str, ScopeName]:
    """Each stored scope's :class:`ScopeName`, named from the picker's choices (so the table
    and the picker say the same); without choices (a broken plan file) the bare code, as it
    cannot be told whether the plan still has it."""
    if choices is None:
        return {s: ScopeName(s, None, "") for s in scopes}
    named = {c.value: c.name for g in choices.groups for c in g.choices}
    return {s: ScopeName(s, named.get(s), KIND_NOUNS.get(s.partition(":")[0], "")) for s in scopes}


def plan_choices(app: Any) -> ScopeChoices | None:
    """The picker for the current plan; None while the plan file cannot be read (the page
    then offers the typed form, and the list of subscriptions still shows)."""
    from regie.errors import InvalidInput
    from regie.plan_cache import current_plan

    try:
        return scope_choices(current_plan(app)[0])
    except InvalidInput:
        return None
