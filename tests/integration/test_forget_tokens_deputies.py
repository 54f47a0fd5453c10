"""`regie contact forget` revokes the departed contact's calendar tokens (recorded like any
revocation: ``revoked_by`` and an event) and leaves their id nowhere in those tokens or their
events; the deputy ids in ``regie.contact.changed`` events become the pseudonym too (audit
follow-up). SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from regie.bootstrap import App
from store.actor import acting_as
from tests.cli_in_process import regie
from tests.integration.test_contact_erasure import NAME, NOW, WHO, _app, _history

RIVM = "    email: g.voorbeeld.rivm@example.org\n"
DEPUTY = f"    deputy: {WHO}\n"


def _plan_edit(app: App, old: str, new: str) -> None:
    from regie.services import sync

    plan = app.settings.plan_path
    text = plan.read_text(encoding="utf-8")
    assert old in text
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")
    sync(app, None)


def _tokens(app: App) -> list[dict[str, object]]:
    with app.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT id, scope, label, revoked_at, revoked_by FROM calendar_tokens")
        )
        return [dict(r._mapping) for r in rows]


def _events(app: App, name: str) -> list[dict[str, object]]:
    with app.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT payload FROM events WHERE name = :n ORDER BY id"), {"n": name}
        ).scalars()
        return [json.loads(p) if isinstance(p, str) else p for p in rows]


def test_forget_revokes_their_tokens_and_names_the_pseudonym(
    tmp_path: Path, migrated_url: str
) -> None:
    from regie.feeds import create_token, revoke_token
    from regie.services import sync

    app = _app(tmp_path, migrated_url)
    sync(app, None)
    with acting_as("a.beheer"):
        theirs = create_token(app, f"contact:{WHO}", f"telefoon {NAME}", NOW)
        earlier = create_token(app, f"contact:{WHO}", None, NOW)
        other = create_token(app, "org:RIVM", "RIVM", NOW)
        revoke_token(app, earlier.id, NOW)
    # Another contact had them as deputy for a while (two regie.contact.changed events).
    _plan_edit(app, RIVM, RIVM + DEPUTY)
    _plan_edit(app, RIVM + DEPUTY, RIVM)
    changed = _events(app, "regie.contact.changed")
    assert [e["deputy"] for e in changed] == [WHO, None]
    _history(app)

    dry = regie_forget(app, apply=False)
    assert "calendar_tokens: 1" in dry
    assert all(t["revoked_at"] is None for t in _tokens(app) if t["id"] == theirs.id)
    with acting_as("p.bureau"):
        from regie.erasure import forget_contact

        report = forget_contact(app, WHO, NOW, notes=False, apply=True)
    pseudonym = report.pseudonym
    assert report.counts["calendar_tokens"] == 1  # the one revoked before stays as it was
    tokens = {t["id"]: t for t in _tokens(app)}
    mine = tokens[theirs.id]
    assert mine["revoked_at"] is not None and mine["revoked_by"] == "p.bureau"
    assert mine["scope"] == f"contact:{pseudonym}" and mine["label"] == f"telefoon {pseudonym}"
    assert tokens[earlier.id]["revoked_by"] == "a.beheer"  # revoked before: kept
    assert tokens[earlier.id]["scope"] == f"contact:{pseudonym}"
    assert tokens[other.id]["revoked_at"] is None and tokens[other.id]["scope"] == "org:RIVM"
    revoked = _events(app, "regie.calendar_token.revoked")
    assert [(e["token_id"], e["by"]) for e in revoked] == [
        (earlier.id, "a.beheer"),
        (theirs.id, "p.bureau"),
    ]
    created = _events(app, "regie.calendar_token.created")
    assert [e.get("scope") for e in created] == [f"contact:{pseudonym}"] * 2 + ["org:RIVM"]
    changed = _events(app, "regie.contact.changed")
    assert [e["deputy"] for e in changed] == [pseudonym, None]
    assert changed[1]["before"] == {"deputy": pseudonym}
    everything = json.dumps([*revoked, *created, *changed, *_tokens(app)], default=str)
    assert WHO not in everything and NAME not in everything
    # A revoked token's URL answers like an unknown one; the list says revoked.
    listed = regie("calendar", "token", "list", "--format", "json", env=_env(app))
    assert {t["id"]: t["status"] for t in json.loads(listed.out)}[theirs.id] == "revoked"


def _env(app: App) -> dict[str, str]:
    return {
        "REGIE_HOME": str(app.settings.home),
        "REGIE_PLAN": str(app.settings.plan_path),
        "REGIE_DATABASE_URL": app.settings.database_url,
    }


def regie_forget(app: App, *, apply: bool) -> str:
    done = regie("contact", "forget", WHO, *(["--yes"] if apply else []), env=_env(app))
    assert done.code == 0, done.err
    return done.out


def test_forget_pseudonymises_every_label_that_names_them(
    tmp_path: Path, migrated_url: str
) -> None:
    """Labels are typed by hand: the name in another token's label, in another case, in the
    initials form or without the organisation suffix is replaced too; another person with the
    same surname, and the token's scope, stay as they were (calendar review, finding 2)."""
    from regie.feeds import create_token
    from regie.services import sync
    from tests.integration.test_contact_erasure import EMAIL, ENTRY

    app = _app(tmp_path, migrated_url)
    sync(app, None)
    labels = {
        "org:Telos": f"voor {NAME} en team",
        "org:RIVM": "h voorbeeld (Telos), agenda op telefoon",
        "step:2": "Voorbeeld, H. en G. Voorbeeld (RIVM)",
        "programme": f"doorsturen naar {EMAIL.upper()}",
        f"contact:{WHO}": "H.  VOORBEELD thuis",
    }
    with acting_as("a.beheer"):
        made = {scope: create_token(app, scope, label, NOW).id for scope, label in labels.items()}
    _plan_edit(app, ENTRY, "")  # they left the plan
    with acting_as("p.bureau"):
        from regie.erasure import forget_contact

        pseudonym = forget_contact(app, WHO, NOW, notes=False, apply=True).pseudonym
    tokens = {t["id"]: t for t in _tokens(app)}
    assert {scope: tokens[i]["label"] for scope, i in made.items()} == {
        "org:Telos": f"voor {pseudonym} en team",
        "org:RIVM": f"{pseudonym} (Telos), agenda op telefoon",
        "step:2": f"{pseudonym} en G. Voorbeeld (RIVM)",
        "programme": f"doorsturen naar {pseudonym}",
        f"contact:{WHO}": f"{pseudonym} thuis",
    }
    assert tokens[made["org:Telos"]]["revoked_at"] is None  # not theirs: only relabelled
    assert tokens[made["org:Telos"]]["scope"] == "org:Telos"
