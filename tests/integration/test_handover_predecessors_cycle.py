"""A hand-over of a co-owned item through the real cycle (walk55b 1): the successor of a
contact removed from the plan is told they took over from that contact only — the store
tells the removed contact's organisation — not from the co-owners' contacts, who are still
asked. SQLite and PostgreSQL (the ``database_url`` fixture)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

from governance.planfile.load import load_plan
from regie.cycle import deadline_check, send_reminders
from store import Repository, sync_plan
from tests.conftest import SEED_PLAN
from tests.integration.test_cycle import make_app

FIRST = date(2015, 12, 9)  # first@ of 1.5.1 and 1.5.2 (BZ, SZW, EZ), to each one's contact
SECOND = date(2015, 12, 23)  # second@
NOW = datetime(2015, 12, 10, 9, 0, tzinfo=UTC)


def test_the_successor_of_a_removed_contact_takes_over_from_them_only(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    seed = load_plan(SEED_PLAN)
    deadline_check(app, FIRST, plan=seed)
    send_reminders(app)  # delivered: the leaver was asked (an unsent prompt is withdrawn)
    old = next(c for c in seed.contacts if c.id == "szw-voorbeeld")
    new = dataclasses.replace(old, id="opvolger", name="O. Opvolger", email="o@example.org")
    contacts = tuple(new if c.id == old.id else c for c in seed.contacts)
    edited = dataclasses.replace(seed, contacts=contacts, source_hash="handover")
    with app.session() as session, session.begin():
        sync_plan(session, edited, now=NOW, plan_path=str(edited.path))
    deadline_check(app, SECOND, plan=edited)
    with app.session() as session:
        outbox = Repository(session, seed.programme.id).outbox()
    (successor,) = [m for m in outbox if m.recipient == "opvolger"]
    assert {i["id"] for i in successor.payload["items"]} >= {"1.5.1", "1.5.2"}
    text = " ".join(successor.body_text.split())
    line = (
        "Overgedragen aan u: u bent nu namens SZW de contactpersoon voor dit punt, "
        "in plaats van E. Voorbeeld (SZW, fictief)."
    )
    assert text.count(line) == 2, text
    co_owners = [c.name for c in seed.contacts if c.id in ("bz-voorbeeld", "ez-voorbeeld")]
    assert all(name not in text for name in co_owners), text
    # The co-owners' contacts, asked all along, get a plain request.
    for contact in ("bz-voorbeeld", "ez-voorbeeld"):
        (m,) = [m for m in outbox if m.recipient == contact and m.created_on == SECOND]
        assert "Overgedragen" not in m.body_text


def test_a_co_owner_that_dropped_out_is_no_predecessor_of_a_later_successor(
    tmp_path: Path, database_url: str
) -> None:
    # review55b 1: BZ stops co-owning 1.5 (a plan edit) and SZW's contact is replaced: the
    # successor takes over from SZW's former contact only, not from BZ's, and the line does not
    # say "eerder namens" (no owner change for SZW).
    app = make_app(tmp_path, database_url)
    seed = load_plan(SEED_PLAN)
    deadline_check(app, FIRST, plan=seed)
    send_reminders(app)
    text = SEED_PLAN.read_text(encoding="utf-8")
    assert text.count("owners: [BZ, SZW, EZ]") == 1
    edited_file = tmp_path / SEED_PLAN.name
    edited_file.write_text(text.replace("owners: [BZ, SZW, EZ]", "owners: [SZW, EZ]"), "utf-8")
    dropped = load_plan(edited_file)
    old = next(c for c in dropped.contacts if c.id == "szw-voorbeeld")
    new = dataclasses.replace(old, id="opvolger", name="O. Opvolger", email="o@example.org")
    contacts = tuple(new if c.id == old.id else c for c in dropped.contacts)
    edited = dataclasses.replace(dropped, contacts=contacts, source_hash="dropped")
    with app.session() as session, session.begin():
        sync_plan(session, edited, now=NOW, plan_path=str(seed.path))
    deadline_check(app, SECOND, plan=edited)
    with app.session() as session:
        outbox = Repository(session, seed.programme.id).outbox()
    (successor,) = [m for m in outbox if m.recipient == "opvolger"]
    assert {i["id"] for i in successor.payload["items"]} >= {"1.5.1", "1.5.2"}
    said = " ".join(successor.body_text.split())
    line = (
        "Overgedragen aan u: u bent nu namens SZW de contactpersoon voor dit punt, "
        "in plaats van E. Voorbeeld (SZW, fictief)."
    )
    assert said.count(line) == 2, said
    bz = next(c.name for c in seed.contacts if c.id == "bz-voorbeeld")
    assert bz not in said and "eerder namens" not in said, said
