"""Two years of weekly prompts to the same owner (review "longrun", finding 4): after an
escalation the overdue prompts slow down to about monthly, and a successor's first prompt is
a hand-over ("Overgedragen aan u"), not a cold "N werkdagen over de deadline". SQLite and
PostgreSQL, through the real commands on a copy of the seed plan."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from regie.bootstrap import App
from tests.integration.reports_scenario import migrated_app

OLD = """  - id: stas-ienm-voorbeeld
    name: B. Voorbeeld (staf staatssecretaris IenM, fictief)
    organisation: stas-IenM
    email: b.voorbeeld.stas@example.org"""
OLD_NAME = "B. Voorbeeld (staf staatssecretaris IenM, fictief)"
ORG = "Staatssecretaris IenM"  # the owner the successor answers for (its short name)
NOW = datetime(2016, 3, 1, 9, 0, tzinfo=UTC)
NEW = """  - id: stas-opvolger
    name: F. Opvolger (staf staatssecretaris IenM, fictief)
    organisation: stas-IenM
    email: f.opvolger.stas@example.org"""


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return migrated_app(tmp_path / "home", database_url)  # a copy of the seed plan


def _weekly(app: App, first: date, last: date) -> None:
    """The daily cycle once a week (as the review replayed it), on the plan file as it is."""
    from regie.cycle import deadline_check, send_reminders

    day = first
    while day <= last:
        deadline_check(app, day, plan=app.load_plan())
        send_reminders(app)  # sent: a contact who leaves was prompted (not withdrawn)
        day += timedelta(days=7)


def _digests(app: App, contact: str) -> list[tuple[date, str, str, list[str]]]:
    """(day, subject, text, item ids) of the contact's reminder digests, oldest first."""
    from store.models import OutboxRow

    o = OutboxRow
    with app.session() as session:
        rows = session.execute(
            sa.select(o.created_on, o.subject, o.body_text, o.payload)
            .where(o.recipient == contact, o.kind == "reminder_digest")
            .order_by(o.created_on)
        ).all()
    return [(day, subject, text, [i["id"] for i in p["items"]]) for day, subject, text, p in rows]


# Both ways of leaving run the same prompts; PostgreSQL runs "forgotten", whose SQL is a superset.
LEFT_ONLY = pytest.mark.one_database("the prompts' pace and words, from this file's other SQL")


@pytest.mark.parametrize(
    "forgotten", [pytest.param(False, marks=LEFT_ONLY), True], ids=["archived", "forgotten"]
)
def test_prompts_slow_down_after_escalation_and_a_successor_gets_a_hand_over(
    app: App, forgotten: bool
) -> None:
    # 1.3.1–1.3.3 (stas-IenM, Najaar 2015: due 30 November) go unanswered: escalated in
    # December, once late (the prompts before the due date count for none: walk32b 2).
    _weekly(app, date(2015, 11, 5), date(2016, 2, 25))
    from store import Repository

    with app.session() as session:
        pid = app.load_plan().programme.id
        history = Repository(session, pid).prompt_history(date(2016, 2, 25))
    (escalated,) = {p.queued_on for p in history if p.is_escalation and p.item_id == "1.3.1"}
    assert date(2015, 12, 1) < escalated < date(2015, 12, 31), escalated
    before = [(day, items) for day, _, _, items in _digests(app, "stas-ienm-voorbeeld")]
    late = [day for day, items in before if "1.3.1" in items and day > escalated]
    # Monthly after the escalation (20 working days), not weekly: 10 Thursdays after it.
    assert 2 <= len(late) <= 4, before
    assert all((b - a).days >= 25 for a, b in itertools.pairwise(late)), late

    plan = Path(str(app.settings.plan_path))
    text = plan.read_text(encoding="utf-8")
    assert OLD in text
    plan.write_text(text.replace(OLD, NEW), encoding="utf-8")
    if forgotten:  # removed from the plan, synced, then erased (`regie contact forget`)
        from regie.erasure import forget_contact
        from regie.services import sync_store

        with app.session() as session, session.begin():
            sync_store(app, session, app.load_plan())
        forget_contact(app, "stas-ienm-voorbeeld", NOW, notes=False, apply=True)
    _weekly(app, date(2016, 3, 3), date(2016, 3, 31))
    after = _digests(app, "stas-opvolger")
    assert after, "the successor is prompted"
    _, subject, body, items = after[0]
    assert {"1.3.1", "1.3.2", "1.3.3"} <= set(items)
    assert "Aan u overgedragen" in subject, subject
    assert "U bent de nieuwe contactpersoon voor" in body
    # The predecessor removed from the plan is named (archived, the name is on record); one
    # forgotten never is: the line still keeps the intro's promise, neutrally (walk30 2).
    predecessor = "een vorige contactpersoon" if forgotten else OLD_NAME
    handed = f"de contactpersoon voor dit punt, in plaats van {predecessor}."
    assert body.count(f"Overgedragen aan u: u bent nu namens {ORG} {handed}") >= 3, body
    assert "Daar staat bij van wie u" in body
    assert (OLD_NAME in body) is not forgotten
    assert "Sinds " in body and "is om een update gevraagd, het laatst op" in body
    assert "werkdagen over de deadline" not in body  # not a cold overdue reminder
    # The successor is prompted at the normal cadence for a while (then it slows down again).
    assert len([d for d, *_ in after]) >= 2
