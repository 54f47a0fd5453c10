"""Answer-link secrets: only hashes in the database, links bound to the address they went to,
a departed contact's link says so, and a Slack user's contact is re-checked (privacy review)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from governance.clock import utcnow
from regie.answer_links import csrf_token
from regie.bootstrap import App
from regie.slack_answers import resolve_contact
from store import Repository, downgrade, sync_plan, upgrade
from store.answers import address_hash
from tests.integration.answer_app import ANNA, ANSWERS_PLAN
from tests.integration.link_setup import FIRST_DAY, link_app, queue_and_send
from tests.integration.server import TEST_SECRET_KEY
from web.app import create_app


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return link_app(migrated_url, tmp_path)


def with_plan(app: App, tmp_path: Path, text: str) -> App:
    changed = tmp_path / "changed.yaml"
    changed.write_text(text)
    return replace(app, settings=replace(app.settings, plan_path=changed))


def stored_links(app: App) -> list[tuple[str, str | None]]:
    with app.engine.connect() as connection:
        return [
            (row[0], row[1])
            for row in connection.execute(
                sa.text("SELECT token, recipient_hash FROM answer_links ORDER BY id")
            )
        ]


def url_id(url_token: str) -> str:
    return url_token.partition(".")[0]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def answers(app: App) -> list[tuple[str, str]]:
    with app.session() as session:
        return [(u.item_id, u.author) for u in Repository(session, "wegen-test").status_updates()]


def post(web: TestClient, token: str) -> int:
    page = web.get(f"/antwoord/{token}")
    csrf = (
        page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        if 'name="csrf_token"' in page.text
        else csrf_token(TEST_SECRET_KEY, url_id(token))  # a form opened while it still worked
    )
    return web.post(f"/antwoord/{token}", data={"status": "done", "csrf_token": csrf}).status_code


# --- 1. only a hash of the link's id is stored ----------------------------------------------------


def test_the_database_holds_only_a_hash_of_the_links_id(app: App) -> None:
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    ((stored, recipient),) = stored_links(app)
    assert stored == sha256(url_id(token))
    assert url_id(token) not in stored
    assert recipient == address_hash("Anna@Example.org ")
    web = TestClient(create_app(app))
    assert web.get(f"/antwoord/{token}").status_code == 200  # looked up by its hash
    assert web.get(f"/antwoord/{stored}.{token.partition('.')[2]}").status_code == 404
    assert post(web, token) == 200
    assert answers(app) == [("1.1.1", "anna")]


def _lift_guards(connection: sa.Connection) -> list[str]:
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("ALTER TABLE answer_links DISABLE TRIGGER USER"))
        return []
    saved = connection.execute(
        sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name='answer_links'"
        )
    ).all()
    for name, _ in saved:
        connection.execute(sa.text(f'DROP TRIGGER "{name}"'))
    return [sql for _, sql in saved]


def test_0016_hashes_the_ids_of_existing_links_and_binds_them_to_their_address(
    app: App, migrated_url: str
) -> None:
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    app.engine.dispose()
    downgrade(migrated_url, "0015")
    # A database from before 0016: the id in clear (what 0006 to 0015 stored).
    engine = sa.create_engine(migrated_url)
    with engine.begin() as connection:
        saved = _lift_guards(connection)
        connection.execute(sa.text("UPDATE answer_links SET token = :t"), {"t": url_id(token)})
        for sql in saved:
            connection.execute(sa.text(sql))
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("ALTER TABLE answer_links ENABLE TRIGGER USER"))
    engine.dispose()
    upgrade(migrated_url)
    assert stored_links(app) == [(sha256(url_id(token)), address_hash("anna@example.org"))]
    web = TestClient(create_app(app))
    assert web.get(f"/antwoord/{token}").status_code == 200  # the link sent before still works
    with app.engine.begin() as connection, pytest.raises(sa.exc.DatabaseError):
        # the guard triggers are back: a link's token never changes
        connection.execute(sa.text("UPDATE answer_links SET token = 'x'"))


# --- 2. a link is bound to the address it was sent to ---------------------------------------------


def test_a_link_sent_to_a_contact_ids_previous_holder_is_refused(app: App, tmp_path: Path) -> None:
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    successor = ANSWERS_PLAN.read_text().replace(
        "    name: Anna de Wit\n    organisation: GEM\n    email: anna@example.org",
        "    name: Erik Smit\n    organisation: GEM\n    email: erik@example.org",
    )
    other = with_plan(app, tmp_path, successor)
    web = TestClient(create_app(other))
    page = web.get(f"/antwoord/{token}")
    assert page.status_code >= 400
    assert "eerdere contactpersoon" in page.text
    assert "opgeslagen" not in page.text  # only opened: no answer to store (walk56b 2)
    assert "Erik" not in page.text
    data = {"status": "done", "csrf_token": csrf_token(TEST_SECRET_KEY, url_id(token))}
    posted = web.post(f"/antwoord/{token}", data=data)  # the form opened while it worked
    assert posted.status_code == 403
    assert "eerdere contactpersoon" in posted.text
    assert posted.text.lower().count("antwoord is niet opgeslagen") == 1
    assert answers(app) == []
    with app.session() as session:
        events = Repository(session, "wegen-test").events()
    assert [e.payload["reason"] for e in events if e.name == "regie.answer.refused"] == [
        "link_successor"
    ]


def test_the_same_person_with_the_same_address_keeps_a_working_link(
    app: App, tmp_path: Path
) -> None:
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    renamed = ANSWERS_PLAN.read_text().replace("Anna de Wit", "Anna de Wit-Jansen")
    web = TestClient(create_app(with_plan(app, tmp_path, renamed)))
    assert web.get(f"/antwoord/{token}").status_code == 200
    assert post(web, token) == 200


# --- 3. a departed contact's link says so ---------------------------------------------------------


def test_a_departed_contacts_link_has_its_own_reason(app: App, tmp_path: Path) -> None:
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    text = ANSWERS_PLAN.read_text()
    assert ANNA in text
    web = TestClient(create_app(with_plan(app, tmp_path, text.replace(ANNA, ""))))
    page = web.get(f"/antwoord/{token}")
    assert page.status_code >= 400
    assert "niet meer in het plan staat" in page.text
    assert "ander programma" not in page.text
    assert post(web, token) >= 400
    assert answers(app) == []


# --- 2. Slack: a user's contact is re-checked against the plan -----------------------------------


def test_a_slack_user_no_longer_answers_for_a_contact_id_given_to_a_successor(
    app: App, tmp_path: Path
) -> None:
    addresses = {"U0CARLA": "carla@example.org", "U0ERIK": "erik@example.org"}
    lookups: list[str] = []

    def lookup(user: str) -> str | None:
        lookups.append(user)
        return addresses.get(user)

    before = app.load_plan()
    with app.session() as session, session.begin():
        sync_plan(session, before, now=utcnow(), plan_path=str(before.path))
    assert resolve_contact(app, before, "U0CARLA", lookup) == "carla"
    assert resolve_contact(app, before, "U0CARLA", lookup) == "carla"  # cached
    assert lookups == ["U0CARLA"]
    assert resolve_contact(app, before, "U0ERIK", lookup) is None

    successor = ANSWERS_PLAN.read_text().replace(
        "    name: Carla Post\n    organisation: PROV\n    email: carla@example.org",
        "    name: Erik Smit\n    organisation: PROV\n    email: erik@example.org",
    )
    after = with_plan(app, tmp_path, successor).load_plan()
    assert resolve_contact(app, after, "U0CARLA", lookup) is None  # carla left: not carla's id
    assert resolve_contact(app, after, "U0ERIK", lookup) == "carla"  # Erik holds the id now
    with app.engine.connect() as connection:
        cached = connection.execute(
            sa.text("SELECT slack_user_id, contact_code, email FROM slack_users ORDER BY 1")
        ).all()
    assert [tuple(r) for r in cached] == [("U0ERIK", "carla", "erik@example.org")]
