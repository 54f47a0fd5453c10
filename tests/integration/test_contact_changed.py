"""A contact's deputy and preferred channel (no stored column) leave a history: an event
``regie.contact.changed`` naming the fields, the ids and channel names (no address), and the
sync lines name the contact. SQLite and PostgreSQL (the ``database_url`` fixture); `regie sync`
through its command line (in process, SQLite)."""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from governance.plan import Contact, Plan
from governance.planfile.load import load_plan
from regie.bootstrap import App
from store import Repository, sync_plan
from store.records import StoredEvent
from store.sync import CONTACT_CHANGED_EVENT
from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN
from tests.integration.test_cycle import make_app

NOW = datetime(2015, 10, 5, 16, 0, tzinfo=UTC)


def _sync(app: App, plan: Plan, minutes: int) -> str:
    with app.session() as session, session.begin():
        now = NOW + timedelta(minutes=minutes)
        return sync_plan(session, plan, now=now, plan_path=str(plan.path)).describe()


def _events(app: App, plan: Plan) -> list[StoredEvent]:
    with app.session() as session:
        found = Repository(session, plan.programme.id).events()
    return [e for e in found if e.name == CONTACT_CHANGED_EVENT]


def _edited(plan: Plan, contact_id: str, **changes: object) -> Plan:
    contacts = tuple(
        dataclasses.replace(c, **changes) if c.id == contact_id else c  # type: ignore[arg-type]
        for c in plan.contacts
    )
    return dataclasses.replace(plan, contacts=contacts)


def test_a_new_deputy_or_channel_is_an_event_without_addresses(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    seed = load_plan(SEED_PLAN)
    assert _sync(app, seed, 0) != "in sync"
    assert not _events(app, seed)  # the first sync: every contact is new

    # The contacts file alone changes (the plan file's hash stays): still compared.
    deputy = _edited(seed, "ez-voorbeeld", deputy="bz-voorbeeld", channel="email")
    assert deputy.source_hash == seed.source_hash
    line = _sync(app, deputy, 1)
    assert line == "contacts with another deputy or channel: ez-voorbeeld", line
    [event] = _events(app, seed)
    assert event.payload == {
        "contact": "ez-voorbeeld",
        "changed": ["deputy", "channel"],
        "before": {"deputy": None, "channel": None},
        "known_before": True,
        "deputy": "bz-voorbeeld",
        "channel": "email",
    }
    assert "@" not in json.dumps(event.payload)
    assert _sync(app, deputy, 2) == "in sync"  # compared with the event: nothing new
    assert len(_events(app, seed)) == 1

    # A new contact's deputy is in its created revision: no event then; a later change is one.
    newcomer = Contact("nieuw", "N. Nieuw", "EZ", email="nieuw@example.org", deputy="ez-voorbeeld")
    added = dataclasses.replace(deputy, contacts=(*deputy.contacts, newcomer), source_hash="x")
    assert "contacts created: nieuw" in _sync(app, added, 3)
    assert len(_events(app, seed)) == 1
    moved = _edited(added, "nieuw", channel="email")
    assert _sync(app, moved, 4) == "contacts with another deputy or channel: nieuw"
    latest = _events(app, seed)[-1].payload
    assert (latest["contact"], latest["changed"], latest["before"]) == (
        "nieuw",
        ["channel"],
        {"channel": None},
    )
    assert (latest["deputy"], latest["channel"]) == ("ez-voorbeeld", "email")


ENTRY = """  - id: pianoo-voorbeeld
    name: K. Voorbeeld (PIANOo, fictief)
"""


def test_regie_sync_names_the_contacts_as_the_cycle_does(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(SEED_PLAN, plan)
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": "",
           "PREFECT_API_URL": "", "REGIE_PLAN": str(plan)}  # fmt: skip
    assert regie("sync", env=env).code == 0
    text = plan.read_text("utf-8")
    assert ENTRY in text
    text = text.replace(ENTRY, ENTRY.replace("pianoo-voorbeeld", "pianoo-opvolger"))
    text = text.replace(
        "    role: beleidsmedewerker (fictief voorbeeld)\n",
        "    role: beleidsmedewerker (fictief voorbeeld)\n    deputy: bz-voorbeeld\n",
        1,
    )
    plan.write_text(text, "utf-8")
    done = regie("sync", env=env)
    assert done.code == 0, done.err
    assert done.out.strip().endswith(
        "— 1 created, 0 changed, 1 archived, 0 restored (contacts created: pianoo-opvolger; "
        "archived: pianoo-voorbeeld; with another deputy or channel: ez-voorbeeld)"
    ), done.out
