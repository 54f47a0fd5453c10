"""The escalation's hand-over note on a co-owned item names the new contact's own
predecessors, never another co-owning organisation's contact (fix55a, left alone; the rule of
the digests' hand-over, walk55b 1). Through the daily deadline check on both databases, each
day equal to a full assessment, on the second test plan (wegen-test) with 1.1 owned by GEM and
PROV: GEM's anna and PROV's bram and carla are asked about 1.1.1."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

from governance.plan import Action, Contact, Plan
from governance.planfile.load import load_plan
from governance.workdays import WorkCalendar
from notifications.render import format_date_nl
from regie.bootstrap import App
from regie.cycle import deadline_check, send_reminders
from tests.integration.answer_app import ANSWERS_PLAN, answers_app
from tests.integration.test_daily import _assert_day_is_full_assessment
from tests.integration.test_handover_escalation import _asked, _escalation_texts

CAL = WorkCalendar("NL")
ITEM = "1.1.1"  # Knelpuntenkaart, gereed Q2-2025: due 30 June 2025
FIRST = date(2025, 6, 2)
CHANGED = date(2025, 6, 30)  # the due date: from its due@ prompt on, the new contacts
LAST = date(2025, 7, 31)
KIM = Contact(id="kclaes", name="Kim Claes", organisation="GEM", email="kim@example.org")


def _plan(changed: bool, *, kim_replaces_anna: bool) -> Plan:
    """1.1 co-owned by GEM and PROV, only the unanswered-prompts escalation in reach; when
    ``changed``, carla (PROV) has left — bram still answers for PROV — and Kim Claes (GEM)
    is new: instead of anna (``kim_replaces_anna``) or beside her."""
    plan = load_plan(ANSWERS_PLAN)
    steps = tuple(
        dataclasses.replace(step, actions=tuple(map(_co_owned, step.actions)))
        for step in plan.steps
    )
    plan = dataclasses.replace(
        plan,
        steps=steps,
        reminders=dataclasses.replace(plan.reminders, escalate_after_overdue_days=60),
    )
    if not changed:
        return plan
    gone = {"carla", "anna"} if kim_replaces_anna else {"carla"}
    contacts = (*(c for c in plan.contacts if c.id not in gone), KIM)
    return dataclasses.replace(plan, contacts=contacts)


def _co_owned(action: Action) -> Action:
    if action.id != "1.1":
        return action
    both = ("GEM", "PROV")
    milestones = tuple(dataclasses.replace(m, owners=both) for m in action.milestones)
    return dataclasses.replace(action, owners=both, milestones=milestones)


def _run(app: App, *, kim_replaces_anna: bool) -> None:
    day = FIRST
    while day <= LAST:
        if CAL.is_working_day(day):
            plan = _plan(day >= CHANGED, kim_replaces_anna=kim_replaces_anna)
            report = deadline_check(app, day, plan=plan)
            _assert_day_is_full_assessment(app, report, plan, day)
            send_reminders(app)
        day += timedelta(days=1)


@pytest.fixture
def app(tmp_path: Path, migrated_url: str) -> App:
    return answers_app(migrated_url, tmp_path / "home")


def test_the_successor_is_handed_over_from_their_own_organisations_contact_only(
    app: App,
) -> None:
    """anna (GEM) → Kim, and carla (PROV) left the same day: Kim took over from anna, not
    from carla, whose part bram (PROV) still has."""
    _run(app, kim_replaces_anna=True)
    assert _asked(app, "carla") and _asked(app, "carla")[-1] < CHANGED
    assert _asked(app, "kclaes")[0] == CHANGED
    texts = _escalation_texts(app)
    assert len(texts) == 1, texts
    _, text, html, slack = texts[0]
    handed = f"op {format_date_nl(CHANGED)} overgedragen aan Kim Claes (was: Anna de Wit)"
    assert f"Let op: {handed}." in text, text
    assert handed in html
    assert handed in slack, slack
    assert all("Carla" not in body for body in (text, html, slack))


def test_a_contact_added_beside_a_colleague_is_no_hand_over_from_another_organisation(
    app: App,
) -> None:
    """Kim joins anna for GEM, carla (PROV) left: nobody took anything over from carla (bram
    still answers for PROV), so the escalation says no hand-over at all."""
    _run(app, kim_replaces_anna=False)
    assert _asked(app, "kclaes")[0] == CHANGED and _asked(app, "anna")[-1] >= CHANGED
    texts = _escalation_texts(app)
    assert len(texts) == 1, texts
    assert all("overgedragen" not in t + h + s for _, t, h, s in texts), texts[0][1]
