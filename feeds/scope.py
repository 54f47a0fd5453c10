"""Which items a feed holds: ``programme``, ``org:ID``, ``step:N``, ``contact:ID``, ``body:ID``."""

from __future__ import annotations

from dataclasses import dataclass

from governance.assessment import ItemAssessment
from governance.plan import Plan
from governance.reminders import recipients

KINDS = ("programme", "org", "step", "contact", "body")
#: Scopes whose feeds may carry an owner's free-text note ("Laatste notitie"): a contact's own
#: feed, and there only the notes that contact wrote (:meth:`Scope.shows_note`). A note can hold
#: personal data ("Jan is ziek", a phone number). Every other feed is shared by more people
#: than the writer chose: the programme's and a step's span organisations and are handed on
#: widely (a steering body, a ministry); an organisation's is handed to everyone who works for
#: it, and in a plan an organisation is often a group of independent parties (``medeoverheden``:
#: every municipality, province and water board). Those feeds leave notes out; the office reads
#: them on the item pages, behind the login.
NOTE_KINDS = ("contact",)


class ScopeError(ValueError):
    """A scope text that is malformed or names nothing in the plan."""


@dataclass(frozen=True, slots=True)
class Scope:
    kind: str
    value: str = ""
    #: A contact's former ids (``formerly``): their notes under those ids are theirs too.
    formerly: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.kind if self.kind == "programme" else f"{self.kind}:{self.value}"

    def shows_note(self, author: str | None) -> bool:
        """Whether this feed's events carry a note written by ``author`` (a contact id, or an
        office user's name): only a contact's own feed, only their own notes."""
        return (
            self.kind in NOTE_KINDS
            and author is not None
            and (author == self.value or author in self.formerly)
        )

    @property
    def office_link(self) -> bool:
        """Whether events link to the office's item page: only in the programme's feed, whose
        subscribers are mostly the office's staff. The page is behind the login: owners,
        policy officers and anyone a feed is passed on to cannot open it (calendar review,
        finding 3), so their feeds carry no link."""
        return self.kind == "programme"

    def includes(self, plan: Plan, item: ItemAssessment) -> bool:
        if self.kind == "programme":
            return True
        if self.kind == "org":
            return self.value in item.owners
        if self.kind == "step":
            return str(item.step) == self.value
        if self.kind == "contact":
            return self.value in recipients(plan, item.owners)
        return False  # a body's feed holds its meetings only

    def includes_archived(self, step: int, owners: list[str], plan: Plan) -> bool:
        """Same test for an item that left the plan (only its stored step and owners remain)."""
        if self.kind == "programme":
            return True
        if self.kind == "org":
            return self.value in owners
        if self.kind == "step":
            return str(step) == self.value
        if self.kind == "contact":
            return self.value in recipients(plan, owners)
        return False


def parse_scope(text: str, plan: Plan) -> Scope:
    """Parse and check against ``plan``; a :class:`ScopeError` names the problem and what exists."""
    text = text.strip()
    kind, _, value = text.partition(":")
    if kind not in KINDS:
        raise ScopeError(f"unknown scope {text!r} (use {', '.join(_forms())})")
    if kind == "programme":
        if value:
            raise ScopeError(f"scope {text!r}: 'programme' takes no value")
        return Scope("programme")
    if not value:
        raise ScopeError(f"scope {text!r}: give a value, e.g. {kind}:{_example(kind, plan)}")
    known = _known(kind, plan)
    person = plan.contact(value) if kind == "contact" else None
    if person is not None:  # a renamed contact's old id too: a token made out to it follows them
        return Scope(kind, person.id, person.formerly)
    if value not in known:
        raise ScopeError(f"scope {text!r}: no such {kind} (known: {', '.join(known) or 'none'})")
    return Scope(kind, value)


def _known(kind: str, plan: Plan) -> list[str]:
    if kind == "org":
        return [o.id for o in plan.organisations]
    if kind == "step":
        return [str(s.number) for s in plan.steps]
    if kind == "contact":
        return [c.id for c in plan.contacts]
    return [b.id for b in plan.governance]


def _example(kind: str, plan: Plan) -> str:
    known = _known(kind, plan)
    return known[0] if known else "ID"


def _forms() -> list[str]:
    return ["programme", "org:ID", "step:N", "contact:ID", "body:ID"]
