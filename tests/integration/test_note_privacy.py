"""Owners' free-text notes and personal data (privacy review), on SQLite and PostgreSQL:

- feeds: only the writer's own (``contact:``) feed carries their note, not their organisation's,
  a colleague's, the programme's or a step's;
- the answer form says who reads the note and to leave personal data out;
- `regie update redact`: the office replaces one update's note by a placeholder (a template),
  scrubs its copies (events, unsent messages, the feeds' and pages' caches), records who, when,
  why and which update — never the old text — and leaves sent messages and archived reports
  alone; the append-only triggers still refuse every other change (migration 0017);
- the erasure's Dutch texts come from templates;
- a calendar token of a contact who left the plan (or a revoked one) serves a calendar that says
  the subscription ended, in Dutch, and the token list says "contact left".
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from jinja2 import Environment, FileSystemLoader
from starlette.testclient import TestClient

from governance.labels import dutch_date
from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.errors import InvalidInput
from regie.feeds import create_token, export_feed, list_tokens, revoke_token
from regie.history import record_update
from regie.services import sync
from store import downgrade, make_engine, upgrade
from tests.cli_in_process import regie
from tests.integration.feed_clients import ical_js
from tests.integration.mail_setup import Clock
from tests.integration.server import TEST_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "plans" / "feeds.yaml"
AS_OF = date(2016, 1, 11)
NOW = datetime(2016, 1, 12, 9, 30, tzinfo=UTC)
NOTE = "Jan is ziek; bel 06-12345678 & <vraag> naar Piet"
PLACEHOLDER = (
    "[notitie verwijderd door het programmabureau op 12 januari 2016: bevatte persoonsgegevens]"
)
KBAKKER = (
    "  - id: kbakker\n    name: K. Bakker\n    organisation: GGD\n    email: k.bakker@example.org\n"
)


@pytest.fixture
def feed_app(tmp_path: Path, migrated_url: str) -> App:
    plan = tmp_path / "plan.yaml"
    shutil.copy(FIXTURE, plan)
    app = bootstrap(
        load_settings(
            {
                "REGIE_HOME": str(tmp_path / "home"),
                "REGIE_DATABASE_URL": migrated_url,
                "REGIE_PLAN": str(plan),
                "REGIE_BASE_URL": "https://regie.example.org",
                "REGIE_SECRET_KEY": TEST_SECRET_KEY,
            }
        )
    )
    sync(app, None)
    return app


def _note(app: App, comment: str | None = NOTE, item: str = "1.1.1") -> int:
    done = record_update(
        app, item, "at_risk", as_of=AS_OF, forecast=date(2016, 2, 29),
        completed_on=None, comment=comment, author="kbakker",
    )  # fmt: skip
    return int(done.rsplit("(update ", 1)[1].rstrip(")"))


def _descriptions(app: App, scope: str) -> str:
    events = ical_js(export_feed(app, scope, AS_OF))["events"]
    return "\n".join(e["description"] for e in events)


# --- feeds: which scopes carry notes ----------------------------------------------------------


def test_only_the_writers_own_feed_carries_their_note(feed_app: App) -> None:
    """A note is in the ``contact:`` feed of the contact who wrote it, nowhere else: not in
    their organisation's feed (an organisation may be a group of independent parties, as
    ``medeoverheden``: calendar review, finding 1), not in a colleague's own feed, not in the
    programme's or a step's."""
    _edit_plan(feed_app, KBAKKER, KBAKKER + KBAKKER.replace("kbakker", "jjansen").replace(
        "K. Bakker", "J. Jansen").replace("k.bakker", "j.jansen"))  # fmt: skip
    _note(feed_app)
    assert f"Laatste toelichting: {NOTE}" in _descriptions(feed_app, "contact:kbakker")
    for wide in ("org:GGD", "contact:jjansen", "programme", "step:1"):
        text = _descriptions(feed_app, wide)
        assert "Prognose: 29 februari 2016" in text  # the item is there, with its forecast …
        assert "Laatste toelichting" not in text and "Jan is ziek" not in text, wide  # … no note
    # A later note by someone else (the office, a colleague) is not in kbakker's feed either.
    record_update(
        feed_app, "1.1.1", "at_risk", as_of=AS_OF, forecast=date(2016, 2, 29),
        completed_on=None, comment="Overleg gepland", author="jjansen",
    )  # fmt: skip
    assert "Laatste toelichting" not in _descriptions(feed_app, "contact:kbakker")
    assert "Laatste toelichting: Overleg gepland" in _descriptions(feed_app, "contact:jjansen")


def _edit_plan(app: App, old: str, new: str) -> None:
    path = app.settings.plan_path
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    sync(app, None)


# --- the answer form says who reads the note --------------------------------------------------


def test_the_answer_form_says_who_reads_the_note_and_to_leave_personal_data_out(
    migrated_url: str, tmp_path: Path
) -> None:
    from tests.integration.link_setup import FIRST_DAY, link_app, queue_and_send
    from tests.integration.test_answer_form_errors import Page, _describedby
    from web.app import create_app

    app = link_app(migrated_url, tmp_path)
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    page = Page(TestClient(create_app(app)).get(f"/antwoord/{token}").text)
    (hint,) = [" ".join(page.text[i].split()) for i in _describedby(page.by_id["note"])]
    # The plan's steering body by its name (walk28 finding 8), not "de stuurgroep".
    for reader in ("programmabureau", "„Stuurgroep Fietsroutes”", "agenda", "voortgangsrapport"):
        assert reader in hint, hint
    assert "geen persoonsgegevens" in hint and "Jan is ziek" in hint


# --- regie update redact ------------------------------------------------------------------------


def _rows(app: App, query: str) -> list[tuple[object, ...]]:
    with app.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(query))]


def _seed_copies(app: App, update_id: int) -> None:
    """Copies of the note where a redaction must find them (an event payload, an unsent
    message's texts) and where it must not change them (a sent message, an archived report)."""
    pid = app.programme_id()
    escaped = NOTE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    with app.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO events (programme_id, name, item_code, occurred_on, recorded_at, "
                "payload, dedupe_key) VALUES (:p, 'regie.test.copied', '1.1.1', :d, :t, :j, 'c1')"
            ),
            {"p": pid, "d": AS_OF, "t": NOW.replace(tzinfo=None),
             "j": json.dumps({"note": f"zie: {NOTE}", "update_id": update_id})},
        )  # fmt: skip
        for key, status in (("pending-1", "pending"), ("sent-1", "sent")):
            conn.execute(
                sa.text(
                    "INSERT INTO outbox (programme_id, key, kind, recipient, recipient_name, "
                    "subject, body_text, body_html, payload, status, attempts, created_at) "
                    "VALUES (:p, :k, 'round_summary', 'office', 'Programmabureau', 'Ronde', :b, "
                    ":h, :j, :s, 0, :t)"
                ),
                {"p": pid, "k": key, "b": f"Laatste notitie: {NOTE}\n",
                 "h": f"<p>{escaped}</p>", "j": json.dumps({"items": [{"note": NOTE}]}),
                 "s": status, "t": NOW.replace(tzinfo=None)},
            )  # fmt: skip


def test_redact_replaces_the_note_and_its_copies_and_records_only_who_when_why(
    feed_app: App,
) -> None:
    from regie.erasure import redact_update
    from regie.office import item_detail

    update_id = _note(feed_app)
    _seed_copies(feed_app, update_id)
    # Warm every cache that holds the note, as a running server has them: a token's feed (today),
    # the feeds' facts and the shared assessment (AS_OF), in that order (one slot each).
    from web.app import create_app

    made = create_token(feed_app, "contact:kbakker", None, NOW)
    web = TestClient(create_app(feed_app))
    assert NOTE.split(";")[0] in web.get(f"/calendar/{made.token}.ics").text
    assert NOTE in _descriptions(feed_app, "contact:kbakker")
    warm = item_detail(feed_app, "1.1.1", AS_OF)
    assert warm is not None and warm.row.note == NOTE

    dry = redact_update(feed_app, update_id, NOW, by="pbureau", reason="gezondheid", apply=False)
    assert not dry.done and dry.counts == {"events": 1, "outbox": 1, "status_updates": 1}
    assert _rows(feed_app, "SELECT count(*) FROM update_redactions") == [(0,)]
    assert _rows(feed_app, f"SELECT comment FROM status_updates WHERE id = {update_id}") == [
        (NOTE,)
    ]

    done = redact_update(feed_app, update_id, NOW, by="pbureau", reason="gezondheid", apply=True)
    assert done.done and done.item == "1.1.1"
    assert _rows(feed_app, f"SELECT comment FROM status_updates WHERE id = {update_id}") == [
        (PLACEHOLDER,)
    ]
    # The redaction is on record — who, when, why, which update — never the old text.
    assert _rows(
        feed_app, "SELECT update_id, item_code, redacted_by, reason, in_progress "
        "FROM update_redactions"
    ) == [(update_id, "1.1.1", "pbureau", "gezondheid", False)]  # fmt: skip
    (payload,) = _rows(feed_app, "SELECT payload FROM events WHERE name = 'regie.update.redacted'")
    recorded = payload[0] if isinstance(payload[0], dict) else json.loads(str(payload[0]))
    assert recorded["update_id"] == update_id and recorded["by"] == "pbureau"
    assert recorded["reason"] == "gezondheid"
    # Copies scrubbed, the sent message kept as sent.
    (copied,) = _rows(feed_app, "SELECT payload FROM events WHERE name = 'regie.test.copied'")
    assert "Jan is ziek" not in str(copied[0]) and PLACEHOLDER in str(copied[0])
    pending = _rows(
        feed_app, "SELECT body_text, body_html, payload FROM outbox WHERE key = 'pending-1'"
    )
    assert "Jan is ziek" not in str(pending) and PLACEHOLDER in pending[0][0]
    sent = _rows(feed_app, "SELECT body_text FROM outbox WHERE key = 'sent-1'")
    assert sent == [(f"Laatste notitie: {NOTE}\n",)]
    # The caches of this process (a server's) see it at once: pages, feeds, the token's feed.
    detail = item_detail(feed_app, "1.1.1", AS_OF)
    assert detail is not None and detail.updates[0].comment == PLACEHOLDER
    assert detail.row.note == PLACEHOLDER  # the shared assessment's latest update
    assert "regie.update.redacted" in [e.name for e in detail.events]
    assert "Jan is ziek" not in _descriptions(feed_app, "contact:kbakker")
    served = web.get(f"/calendar/{made.token}.ics")
    assert served.status_code == 200 and "Jan is ziek" not in served.text
    assert "notitie verwijderd door het programmabureau" in served.text.replace("\r\n ", "")

    # Once only; an unknown id; an update without a note: one line each, nothing changed.
    with pytest.raises(
        InvalidInput, match=rf"update {update_id}: already redacted on .* by pbureau"
    ):
        redact_update(feed_app, update_id, NOW, by="x", reason="y", apply=True)
    with pytest.raises(InvalidInput, match="update 999: no such status update"):
        redact_update(feed_app, 999, NOW, by="x", reason="y", apply=True)
    bare = _note(feed_app, comment=None, item="1.1.2")
    with pytest.raises(InvalidInput, match=f"update {bare}: has no note, nothing to redact"):
        redact_update(feed_app, bare, NOW, by="x", reason="y", apply=True)
    with pytest.raises(InvalidInput, match="--reason"):
        redact_update(feed_app, bare, NOW, by="x", reason="  ", apply=True)
    assert _rows(feed_app, "SELECT count(*) FROM update_redactions") == [(1,)]


def test_the_triggers_still_refuse_every_other_change(feed_app: App) -> None:
    from regie.erasure import redact_update

    update_id = _note(feed_app)
    redact_update(feed_app, update_id, NOW, by="pbureau", reason="gezondheid", apply=True)
    refused = "append-only"
    for statement in (
        f"UPDATE status_updates SET comment = 'terug' WHERE id = {update_id}",
        "UPDATE status_updates SET comment = 'x'",
        "DELETE FROM status_updates",
        "UPDATE events SET payload = '{}'",
        "DELETE FROM events",
    ):
        with pytest.raises(sa.exc.DBAPIError, match=refused), feed_app.engine.begin() as conn:
            conn.execute(sa.text(statement))
    # A redaction row that is not running opens nothing; one running opens only its update.
    other = _note(feed_app, comment="nog een", item="1.1.2")
    with pytest.raises(sa.exc.DBAPIError, match=refused), feed_app.engine.begin() as conn:
        conn.execute(sa.text("UPDATE update_redactions SET in_progress = true"))
        conn.execute(sa.text(f"UPDATE status_updates SET comment = 'x' WHERE id = {other}"))
    with pytest.raises(sa.exc.DBAPIError, match=refused), feed_app.engine.begin() as conn:
        conn.execute(sa.text("UPDATE update_redactions SET in_progress = true"))
        conn.execute(sa.text(f"UPDATE status_updates SET status = 'done' WHERE id = {update_id}"))
    assert _rows(feed_app, f"SELECT comment FROM status_updates WHERE id = {other}") == [
        ("nog een",)
    ]


@pytest.mark.postgres
def test_a_redaction_left_open_never_commits_on_postgres(tmp_path: Path, postgres_url: str) -> None:
    upgrade(postgres_url)
    engine = make_engine(postgres_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO programmes (id, title, created_at, updated_at) "
                    "VALUES ('p', 'P', now(), now())"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO status_updates (programme_id, item_code, status, reported_on, "
                    "comment, source, recorded_at) VALUES ('p', '1.1', 'at_risk', "
                    "'2016-01-04', 'Jan is ziek', 'cli', now())"
                )
            )
        with pytest.raises(sa.exc.DBAPIError, match="own transaction"), engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO update_redactions (programme_id, update_id, item_code, "
                    "redacted_at, redacted_by, reason, in_progress) "
                    "SELECT 'p', id, '1.1', now(), 'x', 'y', true FROM status_updates"
                )
            )
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM update_redactions")) == 0
            assert conn.scalar(sa.text("SELECT comment FROM status_updates")) == "Jan is ziek"
    finally:
        engine.dispose()


def test_0017_up_down_and_up_again(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    running = (
        "INSERT INTO update_redactions (programme_id, update_id, item_code, redacted_at, "
        "redacted_by, reason, in_progress) SELECT 'p', id, '1.1', recorded_at, 'x', 'y', {} "
        "FROM status_updates"
    )
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO programmes (id, title, created_at, updated_at) VALUES "
                    "('p', 'P', '2016-01-04 09:00:00', '2016-01-04 09:00:00')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO status_updates (programme_id, item_code, status, reported_on, "
                    "comment, author, source, recorded_at) VALUES ('p', '1.1', 'at_risk', "
                    "'2016-01-04', 'Jan is ziek', 'jan', 'cli', '2016-01-04 09:00:00')"
                )
            )
        with engine.begin() as conn:  # what 0017 is for: inside a running redaction
            conn.execute(sa.text(running.format("true")))
            conn.execute(sa.text("UPDATE status_updates SET comment = '[weg]'"))
            conn.execute(sa.text("UPDATE update_redactions SET in_progress = false"))
        downgrade(database_url, "0016")
        assert "update_redactions" not in sa.inspect(engine).get_table_names()
        for statement in ("UPDATE status_updates SET comment = 'x'", "DELETE FROM status_updates"):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(sa.text(statement))
        # 0015's erasure still works after the downgrade (its triggers are back as they were).
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO erasures (programme_id, contact_code, pseudonym, forgotten_at, "
                    "in_progress) VALUES ('p', 'jan', 'vertrokken-1', '2016-01-04 09:00:00', true)"
                )
            )
            conn.execute(sa.text("UPDATE status_updates SET author = 'vertrokken-1'"))
            conn.execute(sa.text("UPDATE erasures SET in_progress = false"))
        upgrade(database_url)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT comment, author FROM status_updates")).one() == (
                "[weg]",
                "vertrokken-1",
            )
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.text("UPDATE status_updates SET comment = 'x'"))
    finally:
        engine.dispose()


def _office_day(env: dict[str, str]) -> date:
    """Today in the office's time zone (UTC's date differs from it around midnight)."""
    from regie.services import today

    return today(bootstrap(load_settings(env)))


def test_regie_update_redact_on_the_command_line(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(FIXTURE, plan)
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": "",
           "PREFECT_API_URL": "", "REGIE_PLAN": str(plan)}  # fmt: skip
    noted = regie("update", "1.1.1", "--status", "at_risk", "--comment", NOTE,
                  "--as-of", "2016-01-11", env=env)  # fmt: skip
    assert noted.code == 0, noted.err
    bare = regie("update", "1.1.2", "--status", "on_track", "--as-of", "2016-01-11", env=env)
    assert bare.code == 0, bare.err

    dry = regie("update", "redact", "1", "--reason", "gezondheid", env=env)
    assert dry.code == 0, dry.err
    assert dry.out.splitlines() == [
        "would redact the note of update 1 (item 1.1.1)",
        "  status_updates: 1",
        "archived reports and sent messages are not changed (kept as they were)",
        "dry run: nothing changed (add --yes to redact)",
    ]
    office_day = _office_day(env)  # the redaction is dated in the office's time zone
    done = regie("update", "redact", "1", "--reason", "gezondheid", "--yes", env=env)
    assert done.code == 0, done.err
    years = {str(office_day.year), str(_office_day(env).year)}  # run over New Year's midnight
    assert done.out.startswith("redacted the note of update 1 (item 1.1.1)\n")
    status = json.loads(regie("status", "--format", "json", env=env).out)
    (row,) = [r for r in status if r["id"] == "1.1.1"]
    assert row["latest_update"]["comment"].startswith("[notitie verwijderd door het ")
    assert any(y in row["latest_update"]["comment"] for y in years)  # the year at least
    events = regie("events", "--item", "1.1.1", "--format", "json", env=env).out
    assert "regie.update.redacted" in events and "Jan is ziek" not in events
    (redacted,) = [e for e in json.loads(events) if e["name"] == "regie.update.redacted"]
    assert redacted["payload"]["reason"] == "gezondheid" and redacted["payload"]["by"]

    for args, line in (
        (["1"], "update 1: already redacted on "),
        (["99"], "update 99: no such status update"),
        (["2"], "update 2: has no note, nothing to redact"),
    ):
        refused = regie("update", "redact", *args, "--reason", "x", "--yes", env=env)
        assert refused.code == 2 and refused.out == ""
        assert len(refused.err.splitlines()) == 1 and refused.err.startswith(line), refused.err
    helped = " ".join(regie("update", "--help", env=env).out.split())
    assert "regie update redact UPDATE_ID" in helped and "no personal data" in helped


# --- the erasure's Dutch texts come from templates -----------------------------------------------


def test_the_erasure_texts_are_templates() -> None:
    from governance.office_names import office_names
    from regie.erasure import outbox_placeholder, redacted_note, suppressed_reason

    env = Environment(loader=FileSystemLoader(ROOT / "regie" / "templates" / "privacy"))
    env.filters["datum"] = dutch_date

    def render(name: str, **context: object) -> str:
        return " ".join(env.get_template(f"{name}.txt.j2").render(**context).split())

    assert outbox_placeholder("vertrokken-1", "reminder_digest", "2015-10-01") == render(
        "outbox_forgotten", pseudonym="vertrokken-1", kind="reminder_digest", day="2015-10-01"
    )
    assert suppressed_reason() == render("suppressed_forgotten") != ""
    office = office_names()
    day = date(2016, 1, 12)
    assert redacted_note(day) == render("note_redacted", day=day, office=office)
    assert redacted_note(date(2016, 1, 12)) == PLACEHOLDER
    source = (ROOT / "regie" / "erasure.py").read_text("utf-8")
    assert "verwijderd op verzoek" not in source and "ontvanger vergeten" not in source


# --- a token of a contact who left ----------------------------------------------------------------


def test_an_ended_subscription_serves_a_calendar_that_says_so(
    sender_clock: Clock,  # before feed_app: the feed's today is the test's, also across midnight
    feed_app: App,
) -> None:
    """A token of a contact who left, a revoked token and a token whose organisation left the
    plan answer 200 with a valid calendar without the old events and one event today that
    says the subscription ended and whom to ask (calendar review, finding 4): calendar apps
    keep the last copy of a feed that answers an error. A token never issued: 404."""
    from tests.integration.feed_clients import icalendar_events
    from web.app import create_app

    # 23:30 UTC: already tomorrow in the office (Europe/Amsterdam), so a feed that took UTC's
    # date (or the machine's) would show the wrong day; pinned, so midnight cannot pass during
    # the test (clock54, review54 10).
    sender_clock.now = sender_clock.now.replace(hour=23, minute=30)
    office_day = sender_clock.now.astimezone(ZoneInfo("Europe/Amsterdam")).date()
    assert office_day != sender_clock.now.date()
    mine = create_token(feed_app, "contact:kbakker", "K. Bakker", NOW)
    revoked = create_token(feed_app, "contact:kbakker", None, NOW)
    revoke_token(feed_app, revoked.id, NOW)
    org = create_token(feed_app, "org:GGD", None, NOW)
    web = TestClient(create_app(feed_app))
    first = web.get(f"/calendar/{mine.token}.ics")
    assert first.status_code == 200 and "1.1.1@zorg-test.regie" in first.text
    assert [r["status"] for r in list_tokens(feed_app)] == ["active", "revoked", "active"]

    plan = feed_app.settings.plan_path
    plan.write_text(plan.read_text("utf-8").replace(KBAKKER, ""), "utf-8")
    gone = web.get(
        f"/calendar/{mine.token}.ics", headers={"If-Modified-Since": first.headers["last-modified"]}
    )
    assert gone.status_code == 200  # not a 304: the old events must go
    assert gone.headers["content-type"].startswith("text/calendar")
    js = ical_js(gone.content)
    (event,) = js["events"]
    assert "beëindigd" in js["name"] and "beëindigd" in event["summary"]
    assert "contactpersoon" in event["description"]
    assert "niet meer in het plan" in event["description"]
    assert "programmabureau" in event["description"] and "K. Bakker" not in gone.text
    assert event["allDay"] and event["start"] == office_day.isoformat()
    assert list(icalendar_events(gone.content)) == [event["uid"]]  # icalendar agrees
    assert web.get(
        f"/calendar/{mine.token}.ics", headers={"If-None-Match": gone.headers["etag"]}
    ).status_code == 304  # fmt: skip
    # Revoked: the same calendar but the reason; never issued: 404; the organisation's: served.
    ended = web.get(f"/calendar/{revoked.token}.ics")
    assert ended.status_code == 200 and "ingetrokken" in ical_js(ended.content)["events"][0][
        "description"]  # fmt: skip
    assert "kbakker" not in ended.text and "K. Bakker" not in ended.text
    assert web.get(f"/calendar/{'x' * 32}.ics").status_code == 404
    assert web.get(f"/calendar/{org.token}.ics").status_code == 200
    statuses = [r["status"] for r in list_tokens(feed_app)]
    assert statuses == ["contact left", "revoked", "active"]
    sync(feed_app, None)  # after the sync too; the token is not moved to anyone
    assert "beëindigd" in web.get(f"/calendar/{mine.token}.ics").text
    assert next(r["scope"] for r in list_tokens(feed_app)) == "contact:kbakker"
    # A governance body leaves the plan: its feed ends the same way.
    body = create_token(feed_app, "body:regieteam", None, NOW)
    assert "Regieteam" in web.get(f"/calendar/{body.token}.ics").text
    text = plan.read_text("utf-8")
    start, end = text.index("governance:\n"), text.index("steps:\n")
    plan.write_text(text[:start] + text[end:], "utf-8")
    left = web.get(f"/calendar/{body.token}.ics")
    assert left.status_code == 200 and "Regieteam" not in left.text
    assert "niet meer in het plan" in ical_js(left.content)["events"][0]["description"]


def test_the_token_list_says_contact_left(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(FIXTURE, plan)
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": "",
           "PREFECT_API_URL": "", "REGIE_PLAN": str(plan), "COLUMNS": "200"}  # fmt: skip
    assert regie("sync", env=env).code == 0
    assert regie("calendar", "token", "create", "--scope", "contact:kbakker", env=env).code == 0
    plan.write_text(plan.read_text("utf-8").replace(KBAKKER, ""), "utf-8")
    listed = regie("calendar", "token", "list", env=env)
    assert listed.code == 0, listed.err
    assert "contact left" in listed.out and "subscription ended" in listed.out
    (row,) = json.loads(regie("calendar", "token", "list", "--format", "json", env=env).out)
    assert row["status"] == "contact left"
