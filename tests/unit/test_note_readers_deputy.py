"""Who reads a note (review54b 2): the writer, the office and the writer's designated deputy;
the contact reads their deputy's note only on an item the deputy answers standing in for them
(review54c 2). Not a colleague, not another organisation's contact, not a deputy's deputy; the
calendar feeds keep the writer's own (a feed's URL gets passed on). Answers plan: Bram (PROV)
is Anna's (GEM) deputy; Carla is Bram's colleague, Dirk (added) Anna's. 1.1.1 is GEM's, 1.2
PROV's, 2.1 both's."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from feeds.scope import Scope
from governance.plan import Contact, Plan
from governance.planfile.load import load_plan
from governance.updates import StatusUpdate, UpdateStatus
from regie.note_readers import reads_note, standing_for

PLAN = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "answers.yaml"
NOTE = "Bel mij op 06-12345678"


def _plan(**bram: str) -> Plan:
    plan = load_plan(PLAN)
    dirk = Contact("dirk", "Dirk Dijk", "GEM", email="dirk@example.org")
    contacts = tuple(replace(c, **bram) if c.id == "bram" else c for c in plan.contacts)
    return replace(plan, contacts=(*contacts, dirk))


def _readers(plan: Plan, author: str, item: str = "1.1.1") -> set[str | None]:
    everyone: list[str | None] = [c.id for c in plan.contacts]
    return {r for r in [*everyone, None] if reads_note(plan, r, author, item)}


def test_the_deputy_reads_the_contact_s_note_and_the_contact_the_deputy_s() -> None:
    plan = _plan()
    assert _readers(plan, "anna") == {"anna", "bram", "office"}
    assert _readers(plan, "anna", "2.1") == {"anna", "bram", "office"}  # on every item
    assert _readers(plan, "bram") == {"bram", "anna", "office"}  # Bram stands in for Anna
    assert _readers(plan, "carla") == {"carla", "office"}  # no deputy either way
    assert _readers(plan, "dirk") == {"dirk", "office"}  # Anna's colleague is not her deputy


def test_the_contact_reads_their_deputy_s_note_only_where_the_deputy_stands_in() -> None:
    """Bram answers 1.2 and 2.1 as PROV's own contact: that note is PROV's, and Anna (GEM)
    reads it no more than Carla, Bram's colleague, does (review54c 2)."""
    plan = _plan()
    assert _readers(plan, "bram", "1.2") == {"bram", "office"}
    assert _readers(plan, "bram", "2.1") == {"bram", "office"}
    assert _readers(plan, "bram", "no-such-item") == {"bram", "office"}
    for item, anna in (("1.1.1", True), ("1.2", False), ("2.1", False)):
        update = StatusUpdate(item, UpdateStatus.AT_RISK, date(2025, 7, 1), comment=NOTE,
                              author="bram")  # fmt: skip
        shown = standing_for(plan, update, "anna")
        assert shown is not None and (shown.note == NOTE) is anna, item
        assert shown.note_withheld is not anna, item


def test_not_a_deputy_s_deputy() -> None:
    plan = _plan(deputy="carla")  # Carla stands in for Bram, who stands in for Anna
    assert _readers(plan, "anna") == {"anna", "bram", "office"}
    assert _readers(plan, "bram") == {"bram", "anna", "carla", "office"}
    assert _readers(plan, "bram", "1.2") == {"bram", "carla", "office"}


def test_a_removed_writer_s_deputy_does_not_read_it() -> None:
    """Anna's note after Anna left the plan: only the office (fix54l), also for Bram."""
    plan = load_plan(PLAN)
    gone = replace(plan, contacts=tuple(c for c in plan.contacts if c.id != "anna"))
    assert _readers(gone, "anna") == {"office"}


def test_the_pages_and_modals_follow_it_the_feeds_do_not() -> None:
    plan = _plan()
    update = StatusUpdate("1.1.1", UpdateStatus.AT_RISK, date(2025, 7, 1), comment=NOTE,
                          author="anna")  # fmt: skip
    for reader in ("anna", "bram", "office"):
        shown = standing_for(plan, update, reader)
        assert shown is not None and shown.note == NOTE and not shown.note_withheld, reader
    for reader in ("carla", "dirk", None):
        shown = standing_for(plan, update, reader)
        assert shown is not None and shown.note is None and shown.note_withheld, reader
    assert not Scope("contact", "bram").shows_note("anna")  # a feed: the writer's own only
    assert Scope("contact", "anna").shows_note("anna")
