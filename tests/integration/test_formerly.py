"""An item renumbered with ``formerly:`` keeps its history (walk29 2 part 2): the sync copies the
old id's status updates, events and reminder stages to the new id, records a
``regie.item.renumbered`` event, and says so in one line at the new id instead of the
"looks renumbered" warning. Without ``formerly`` that warning still says how to keep the
history. The answers test plan ("wegen-test"), SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from governance.counts import count
from regie.bootstrap import App
from store import Repository
from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import FIRST_DAY, link_app, queue_and_send
from web.app import create_app

#: 1.1.1 becomes 1.1.3; the new id says where it came from.
WITH_FORMERLY = (
    '          - id: "1.1.1"\n',
    '          - id: "1.1.3"\n            formerly: "1.1.1"\n',
)
WITHOUT_FORMERLY = ('          - id: "1.1.1"\n', '          - id: "1.1.3"\n')


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    plan = tmp_path / "plan.yaml"
    plan.write_text(ANSWERS_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    return link_app(migrated_url, tmp_path / "home", plan)


def _edit(app: App, old: str, new: str) -> Path:
    path = Path(app.settings.plan_path)
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _sync(app: App) -> list[str]:
    from regie.services import sync_warnings
    from store import sync_plan

    plan = app.load_plan()
    with app.session() as session, session.begin():
        # Now: after the first sync (the web and the deadline check run at the real time).
        result = sync_plan(session, plan, now=datetime.now(UTC), plan_path=str(plan.path))
        return sync_warnings(session, plan, result)


def _answer(app: App, token: str, status: str, note: str) -> None:
    web = TestClient(create_app(app), raise_server_exceptions=False)
    page = web.get(f"/antwoord/{token}").text
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    done = web.post(f"/antwoord/{token}", data={"csrf_token": csrf, "status": status, "note": note})
    assert done.status_code == 200, done.text[:300]


def _history(app: App, code: str) -> list[tuple[object, ...]]:
    with app.session() as session:
        return [
            (u.status.value, u.reported_on, u.comment, u.author, u.source, u.recorded_at)
            for u in Repository(session, "wegen-test").status_updates()
            if u.item_id == code
        ]


def _rows(app: App, sql: str, **params: object) -> list[tuple[object, ...]]:
    with app.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql), params)]


def _events(app: App, code: str) -> list[tuple[object, ...]]:
    with app.session() as session:
        return [
            (e.name, e.occurred_on, e.recorded_at, e.payload)
            for e in Repository(session, "wegen-test").events(item=code)
        ]


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_the_new_id_takes_over_the_history_and_says_so(app: App) -> None:
    links = dict(queue_and_send(app, FIRST_DAY)["anna"])
    _answer(app, links["1.1.1"], "at_risk", "Leverancier later")
    before = _history(app, "1.1.1")
    assert [(h[0], h[2]) for h in before] == [("at_risk", "Leverancier later")]
    events_before = _events(app, "1.1.1")
    prompts_before = _rows(
        app,
        "SELECT stage, contact_code, queued_on FROM prompts WHERE item_code = '1.1.1' ORDER BY id",
    )
    assert events_before and prompts_before

    path = _edit(app, *WITH_FORMERLY)
    validated = regie("plan", "validate", env=_env(app))
    assert validated.code == 0, validated.err
    assert "renumbered" not in validated.out and "syncing removes it" not in validated.out

    said = _sync(app)
    line = _line_of(path, '          - id: "1.1.3"')
    assert said == [
        f"note: {path}:{line}:13: 1.1.3 is 1.1.1 renumbered (formerly): it takes over 1.1.1's "
        f"history (1 status update, {count(len(events_before), 'event')}, "
        f"{count(len(prompts_before), 'reminder stage')}); 1.1.1 stays archived"
    ]
    # The same updates (their recorded_at too), events and reminder stages under the new id;
    # the old id keeps its own rows (archived reports name it).
    assert _history(app, "1.1.3") == before
    assert _history(app, "1.1.1") == before
    copied = _events(app, "1.1.3")
    assert copied[:-1] == events_before and copied[-1][0] == "regie.item.renumbered"
    assert _events(app, "1.1.1") == events_before
    assert (
        _rows(
            app,
            "SELECT stage, contact_code, queued_on FROM prompts WHERE item_code = '1.1.3'"
            " ORDER BY id",
        )
        == prompts_before
    )
    # So is the first assessed day (fresh50): the stale clock does not start again.
    first = "SELECT as_of FROM item_first_assessed WHERE item_code = :c"
    assert _rows(app, first, c="1.1.3") == _rows(app, first, c="1.1.1") != []
    with app.session() as session:
        (event,) = [
            e
            for e in Repository(session, "wegen-test").events()
            if e.name == "regie.item.renumbered"
        ]
    assert event.item_id == "1.1.3"
    assert event.payload["from"] == "1.1.1" and event.payload["updates"] == 1
    # The day it carried, for the audit trail (review51 10): why 1.1.3's clock started then.
    ((day,),) = _rows(app, first, c="1.1.1")
    assert event.payload["first_assessed"] == str(day) == FIRST_DAY.isoformat()
    from tests.integration.test_web_item_page import _client, visible

    page = visible(_client(app).get("/items/1.1.3").text)
    assert "het oude nummer; door Regie gevolgd sinds 10 juni 2025" in page  # FIRST_DAY

    # The assessment reads the carried answer: 1.1.3 is at risk, not "no update".
    from regie.services import status_rows

    _, rows = status_rows(app, None)  # the answer counts for today (the web's date)
    (row,) = [r for r in rows if r["id"] == "1.1.3"]
    assert row["latest_update"]["comment"] == "Leverancier later", row

    # Once only: the next sync has nothing to carry (the new id is no longer created).
    assert _sync(app) == []
    assert len(_history(app, "1.1.3")) == 1


def test_an_item_never_assessed_carries_no_first_day_and_says_so(app: App) -> None:
    """No cycle yet: nothing to carry, and the event says so (null, not left out)."""
    _sync(app)  # synced, never assessed
    _edit(app, *WITH_FORMERLY)
    assert any("takes over" in w for w in _sync(app))
    with app.session() as session:
        (event,) = Repository(session, "wegen-test").events(item="1.1.3")
    assert event.name == "regie.item.renumbered"
    assert "first_assessed" in event.payload and event.payload["first_assessed"] is None


def test_a_correction_is_carried_with_the_update_it_corrects(app: App) -> None:
    from dataclasses import replace

    links = dict(queue_and_send(app, FIRST_DAY)["anna"])
    _answer(app, links["1.1.1"], "at_risk", "Eerst")
    with app.session() as session, session.begin():
        repo = Repository(session, "wegen-test")
        (first,) = repo.status_updates(item="1.1.1")
        repo.add_status_update(
            replace(first, id=None, recorded_at=None, comment="Toch op schema", corrects=first.id)
        )
    _edit(app, *WITH_FORMERLY)
    _sync(app)
    with app.session() as session:
        old = Repository(session, "wegen-test").status_updates(item="1.1.1")
        new = Repository(session, "wegen-test").status_updates(item="1.1.3")
    assert [u.comment for u in new] == ["Eerst", "Toch op schema"]
    # The copied correction names the copy of the update it corrects, not the archived one.
    assert new[1].corrects == new[0].id and new[0].id not in {u.id for u in old}
    assert old[1].corrects == old[0].id


def test_an_old_answer_link_after_the_renumbering_names_the_new_number(app: App) -> None:
    links = dict(queue_and_send(app, FIRST_DAY)["anna"])
    _edit(app, *WITH_FORMERLY)
    _sync(app)
    web = TestClient(create_app(app), raise_server_exceptions=False)
    page = web.get(f"/antwoord/{links['1.1.1']}")
    # Still refused (the link is bound to 1.1.1 and nothing is stored), but it says where the
    # item went, not "no longer in the plan".
    assert page.status_code == 410
    assert 'id="punt">Punt 1.1.1 Knelpuntenkaart<' in page.text
    assert (
        "Dit punt heeft in het plan een nieuw nummer gekregen: 1.1.3 Knelpuntenkaart. Uw eerdere "
        "antwoorden zijn meegenomen." in page.text
    )
    assert "staat niet meer in het plan" not in page.text
    posted = web.post(f"/antwoord/{links['1.1.1']}", data={"status": "on_track"})
    assert posted.status_code in (403, 410)
    assert _history(app, "1.1.3") == [] and _history(app, "1.1.1") == []


def test_an_old_link_of_an_item_removed_without_formerly_still_says_it_is_gone(app: App) -> None:
    links = dict(queue_and_send(app, FIRST_DAY)["anna"])
    _edit(app, *WITHOUT_FORMERLY)
    _sync(app)
    page = TestClient(create_app(app), raise_server_exceptions=False).get(
        f"/antwoord/{links['1.1.1']}"
    )
    assert page.status_code == 410
    assert "Dit punt staat niet meer in het plan" in page.text and "nieuw nummer" not in page.text


def test_without_formerly_the_warning_still_says_how_to_keep_the_history(app: App) -> None:
    queue_and_send(app, FIRST_DAY)
    path = _edit(app, *WITHOUT_FORMERLY)
    line = _line_of(path, '          - id: "1.1.3"')
    validated = regie("plan", "validate", env=_env(app))
    said = [x for x in validated.out.splitlines() if "renumbered" in x]
    assert len(said) == 1, validated.out
    assert said[0].startswith(f"warning: {path}:{line}:13: 1.1.3 'Knelpuntenkaart' looks like")
    assert 'or write formerly: "1.1.1" under 1.1.3 (the sync then carries' in said[0]
    warnings = _sync(app)
    assert len(warnings) == 1 and "the sync archived 1.1.1 and created 1.1.3" in warnings[0]
    assert _history(app, "1.1.3") == []
    assert _rows(app, "SELECT id FROM events WHERE name = 'regie.item.renumbered'") == []


def test_a_formerly_written_after_the_new_id_was_synced_is_said(app: App) -> None:
    """review12 3: the office syncs the renumbering first, then writes formerly: nothing can be
    carried any more (the new id has a history of its own), and the sync says so at the line
    instead of nothing; a formerly that did carry stays quiet on later syncs."""
    queue_and_send(app, FIRST_DAY)
    _edit(app, *WITHOUT_FORMERLY)
    _sync(app)
    path = _edit(app, *(WITHOUT_FORMERLY[1], WITH_FORMERLY[1]))
    line = _line_of(path, '          - id: "1.1.3"')
    said = [w for w in _sync(app) if "formerly" in w]
    assert said == [
        f"warning: {path}:{line}:13: 1.1.3 says formerly: '1.1.1', but nothing was carried over: "
        "1.1.3 was in the database before this sync, and history is carried only by the sync "
        "that first creates the new id (1.1.1's stays archived with 1.1.1; remove the line to "
        "silence this)"
    ]
    assert _history(app, "1.1.3") == []


def test_a_carried_formerly_is_quiet_on_later_syncs(app: App) -> None:
    queue_and_send(app, FIRST_DAY)
    _edit(app, *WITH_FORMERLY)
    assert any("takes over" in w for w in _sync(app))
    assert not [w for w in _sync(app) if "formerly" in w]


def test_a_formerly_the_database_never_had_is_said(app: App) -> None:
    queue_and_send(app, FIRST_DAY)
    path = _edit(
        app,
        '      - id: "1.2"\n',
        '      - id: "1.2"\n        milestones:\n          - id: "1.2.1"\n'
        '            title: Nieuw\n            gereed: Q4-2025\n            formerly: "1.9.9"\n',
    )
    line = _line_of(path, '          - id: "1.2.1"')
    assert _sync(app) == [
        f"warning: {path}:{line}:13: 1.2.1 says formerly: '1.9.9', but nothing was carried "
        "over: the database has no 1.9.9 of the same kind (check the id)"
    ]


def _env(app: App) -> dict[str, str]:
    return {
        "REGIE_HOME": str(app.settings.home),
        "REGIE_DATABASE_URL": app.settings.database_url,
        "REGIE_PLAN": str(app.settings.plan_path),
    }


def _calendar(app: App) -> dict[str, dict[str, object]]:
    """UID → the event's summary, status and SEQUENCE, as published for today."""
    from icalendar import Calendar

    shown = regie("calendar", "export", "--scope", "programme", env=_env(app))
    assert shown.code == 0, shown.err
    return {
        str(e["UID"]): {
            "summary": str(e["SUMMARY"]),
            "status": str(e["STATUS"]),
            "sequence": int(e["SEQUENCE"]),
        }
        for e in Calendar.from_ical(shown.out).walk("VEVENT")
    }


def test_the_calendar_event_keeps_its_uid_and_raises_sequence(app: App) -> None:
    uid = "1.1.1@wegen-test.regie"
    assert regie("sync", env=_env(app)).code == 0
    before = _calendar(app)
    assert before[uid]["sequence"] == 0 and "1.1.1" in str(before[uid]["summary"])
    _edit(app, *WITH_FORMERLY)
    assert regie("sync", env=_env(app)).code == 0
    after = _calendar(app)
    # The same event, updated: the new number in its summary, SEQUENCE one on; no new UID and
    # no cancelled event for the old number.
    assert after[uid]["status"] == before[uid]["status"]
    assert "1.1.3" in str(after[uid]["summary"]) and after[uid]["sequence"] == 1
    assert not any(u.startswith("1.1.3@") for u in after)
    assert set(after) == set(before)
    assert _calendar(app) == after  # remembered: the next export is the same


def test_renumbered_twice_the_calendar_event_keeps_its_first_uid(app: App) -> None:
    """1.1.1 → 1.1.3 → 1.1.4: the second sync does not carry the first renumbering's record to
    the newest id, so the chain stays 1.1.1 → 1.1.3 → 1.1.4 (review12 2)."""
    uid = "1.1.1@wegen-test.regie"
    assert regie("sync", env=_env(app)).code == 0
    _edit(app, *WITH_FORMERLY)
    assert regie("sync", env=_env(app)).code == 0
    once = _calendar(app)
    _edit(app, '          - id: "1.1.3"\n            formerly: "1.1.1"\n',
          '          - id: "1.1.4"\n            formerly: "1.1.3"\n')  # fmt: skip
    assert regie("sync", env=_env(app)).code == 0
    twice = _calendar(app)
    assert set(twice) == set(once)  # no new UID, none cancelled
    assert (
        "1.1.4" in str(twice[uid]["summary"])
        and twice[uid]["sequence"] == once[uid]["sequence"] + 1
    )
    renumbered = [e[3] for e in _events(app, "1.1.4") if e[0] == "regie.item.renumbered"]
    assert [p["from"] for p in renumbered] == ["1.1.3"]  # type: ignore[index]


def test_without_formerly_the_calendar_cancels_one_event_and_adds_another(app: App) -> None:
    assert regie("sync", env=_env(app)).code == 0
    before = _calendar(app)
    _edit(app, *WITHOUT_FORMERLY)
    assert regie("sync", env=_env(app)).code == 0
    after = _calendar(app)
    assert after["1.1.1@wegen-test.regie"]["status"] == "CANCELLED"
    assert after["1.1.3@wegen-test.regie"]["sequence"] == 0
    assert set(after) == set(before) | {"1.1.3@wegen-test.regie"}


def test_archived_reports_made_before_the_renumbering_reproduce(
    tmp_path: Path, database_url: str
) -> None:
    # The reports scenario (its archived packs and reports rest on the kept plan text): 1.1.1,
    # answered by its owner, becomes 1.1.3 with formerly after a progress report and an agenda
    # pack were archived; both still make themselves again byte for byte.
    from regie.reports import agenda, reproduce, voortgang
    from tests.integration.reports_scenario import AS_OF, MEETING, cli_env, scenario_app

    app = scenario_app(tmp_path / "home", database_url)
    report = voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "md")
    pack = agenda(app, "stuurgroep", MEETING, AS_OF, "md")
    answered = _history_of(app, "1.1.1")
    assert [a[2] for a in answered] == ["Inventarisatie afgerond"]
    _edit(app, *WITH_FORMERLY)
    synced = regie("sync", env=cli_env(app))
    assert synced.code == 0 and "1.1.3 is 1.1.1 renumbered (formerly)" in synced.out, synced.out
    assert _history_of(app, "1.1.3") == answered
    for made in (report, pack):
        again = reproduce(app, made.archive_id or 0)
        assert again.plan_source == "kept" and again.matches, made.archive_id


def _history_of(app: App, code: str) -> list[tuple[object, ...]]:
    with app.session() as session:
        return [
            (u.status.value, u.reported_on, u.comment, u.recorded_at)
            for u in Repository(session, app.programme_id()).status_updates(item=code)
        ]
