"""The facts the office pages and the feeds keep between builds tell databases apart by a hash
of the database URL, never the URL: it may hold a password (``postgresql://regie:pw@…``),
and cached facts may be written under REGIE_HOME (security review, follow-up of finding 10)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import make_url

from regie.feeds import export_feed
from regie.office import shared_assessment
from regie.plan_cache import _facts, clear_facts, current_plan
from tests.integration.feed_clients import synced_app

AS_OF = date(2016, 1, 11)


def test_no_cached_fact_and_no_file_holds_the_database_url(
    tmp_path: Path, migrated_url: str
) -> None:
    clear_facts()
    app = synced_app(tmp_path, migrated_url)
    plan, version = current_plan(app)
    with app.session() as session:
        shared_assessment(app, session, plan, AS_OF, version)  # the office pages' facts
    export_feed(app, "programme", AS_OF)  # the feeds' facts, built on the office's
    export_feed(app, "org:GGD", AS_OF)
    secrets = [migrated_url, make_url(migrated_url).render_as_string(hide_password=False)]
    password = make_url(migrated_url).password
    if password:  # PostgreSQL (the tests' password may be a common word: with its colon and @)
        secrets.append(f":{password}@")
    assert {slot[1] for slot in _facts} >= {"assessment", "feeds"}
    cached = repr(_facts)
    for secret in secrets:
        assert secret not in cached
    for path in (tmp_path / "home").rglob("*"):
        if path.is_file() and path.suffix not in (".db", ".db-wal", ".db-shm"):
            data = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in data, path
    clear_facts()
