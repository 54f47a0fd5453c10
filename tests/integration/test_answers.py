"""record_answer: one set of rules for every channel, stored with its event, refusals logged."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from governance.answers import OFFICE, Answerer, AnswerInput, Refusal
from regie.answers import ANSWER_REFUSED, AnswerRefused, record_answer
from regie.bootstrap import App
from store import Repository, sync_plan
from tests.integration.answer_app import answers_app

DAY = date(2025, 6, 2)


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    app = answers_app(migrated_url, tmp_path)
    plan = app.load_plan()
    from governance.clock import utcnow

    with app.session() as session, session.begin():
        sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
    return app


def who(contact: str) -> Answerer:
    return Answerer(contact, contact)


def stored(app: App) -> tuple[list[str], list[str]]:
    with app.session() as session:
        repo = Repository(session, "wegen-test")
        updates = [f"{u.item_id}:{u.status}:{u.author}:{u.source}" for u in repo.status_updates()]
        events = [e.name for e in repo.events()]
    return updates, events


def test_owner_answer_is_stored_with_its_event(app: App) -> None:
    answer = AnswerInput("1.1.1", "at_risk", forecast=date(2025, 8, 1), note="=SUM(A1) <b>x</b>")
    recorded = record_answer(app, answer, who("anna"), channel="email", as_of=DAY)
    assert recorded.update.id is not None
    updates, events = stored(app)
    assert updates == ["1.1.1:at_risk:anna:email"]
    assert events == ["regie.status.updated"]
    with app.session() as session:
        (update,) = Repository(session, "wegen-test").status_updates()
    assert update.comment == "=SUM(A1) <b>x</b>"  # verbatim
    assert update.forecast == date(2025, 8, 1)


def test_deputy_and_office_may_answer(app: App) -> None:
    record_answer(app, AnswerInput("1.1.2", "on_track"), who("bram"), channel="slack", as_of=DAY)
    record_answer(app, AnswerInput("1.2", "cancelled"), who("office"), channel="web", as_of=DAY)
    record_answer(app, AnswerInput("2.1", "done"), OFFICE, channel="cli", as_of=DAY)
    updates, _ = stored(app)
    assert updates == [
        "1.1.2:on_track:bram:slack",
        "1.2:cancelled:office:web",
        "2.1:done:programmabureau:cli",
    ]


@pytest.mark.parametrize(
    ("contact", "answer", "reason"),
    [
        ("carla", AnswerInput("1.1.1", "on_track"), Refusal.NOT_OWNER),  # PROV, not anna's deputy
        ("nobody", AnswerInput("1.2", "on_track"), Refusal.UNKNOWN_CONTACT),
        ("bram", AnswerInput("1.2", "cancelled"), Refusal.OFFICE_ONLY),
    ],
)
def test_refusals_store_nothing_but_an_event(
    app: App, contact: str, answer: AnswerInput, reason: Refusal
) -> None:
    with pytest.raises(AnswerRefused) as refused:
        record_answer(app, answer, who(contact), channel="slack", as_of=DAY)
    assert refused.value.reason is reason
    updates, events = stored(app)
    assert updates == []
    assert events == [ANSWER_REFUSED]
    with app.session() as session:
        (event,) = Repository(session, "wegen-test").events()
    assert event.payload["reason"] == reason.value
    assert event.payload["contact"] == contact
    assert event.payload["channel"] == "slack"


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        (AnswerInput("1.1.1", "maybe"), "status"),
        (AnswerInput("1.1.1", "on_track", completed_on=date(2025, 1, 1)), "completed_on"),
        (AnswerInput("1.1.1", "done", completed_on=date(2025, 7, 1)), "completed_on"),
        (AnswerInput("1.1.1", "done", forecast=date(2025, 7, 1)), "forecast"),
        (AnswerInput("1.1.1", "at_risk", forecast=date(2025, 6, 1)), "forecast"),
        (AnswerInput("1.1.1", "on_track", note="x" * 2001), "note"),
    ],
)
def test_invalid_content_is_a_field_error_and_stores_nothing(
    app: App, answer: AnswerInput, field: str
) -> None:
    with pytest.raises(AnswerRefused) as refused:
        record_answer(app, answer, who("anna"), channel="web", as_of=DAY)
    assert refused.value.reason is Refusal.INVALID
    assert [p.field for p in refused.value.problems] == [field]
    assert stored(app) == ([], [])


def test_unknown_item_is_refused_without_trace(app: App) -> None:
    with pytest.raises(AnswerRefused) as refused:
        record_answer(app, AnswerInput("9.9", "on_track"), who("anna"), channel="web", as_of=DAY)
    assert refused.value.reason is Refusal.UNKNOWN_ITEM
    assert stored(app) == ([], [])


def test_two_answers_at_once_are_both_kept_in_order(app: App) -> None:
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def answer(n: int) -> None:
        try:
            barrier.wait()
            status = "on_track" if n % 2 else "at_risk"
            record_answer(
                app,
                AnswerInput("1.1.1", status, note=f"antwoord {n}"),
                who("anna"),
                channel="web",
                as_of=DAY,
            )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=answer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.session() as session:
        updates = Repository(session, "wegen-test").status_updates()
        events = Repository(session, "wegen-test").events()
    assert sorted(u.comment or "" for u in updates) == [f"antwoord {n}" for n in range(8)]
    ids = [u.id or 0 for u in updates]
    assert ids == sorted(ids)  # stored order is the order they are read back
    stamps = [u.recorded_at for u in updates]
    assert stamps == sorted(stamps)
    assert {e.payload["update_id"] for e in events} == set(ids)
