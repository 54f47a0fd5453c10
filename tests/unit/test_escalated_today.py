"""The escalation day's contacts read names every item the next check can skip through today's
escalation (review55c 4): ``contacts_wanted`` and ``remember._settled_after_prompt`` start from
one predicate (``backed_off_after_escalation``); this checks the two over every combination of
the facts they read, so a change to either that narrows the read shows."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from types import SimpleNamespace
from typing import cast

from governance.assessment import Assessment
from governance.escalated_today import backed_off_after_escalation, contacts_wanted
from governance.next_checks import Scheduler
from governance.remember import _settled_after_prompt
from governance.reminders import PromptFacts, PromptQuestion, PromptRecord, ReminderPlan
from governance.workdays import WorkCalendar
from tests.unit.planbuilder import policy

CAL = WorkCalendar("NL")
DUE = date(2025, 3, 31)
RULES = policy()
EVERY = RULES.overdue_every_days
TODAY = CAL.add_working_days(DUE, 41 * EVERY + 2)  # two working days into overdue-41
STAGES = (None, f"due@{DUE}", f"overdue-41@{DUE}", f"overdue-43@{DUE}")  # 43: 44 is prompted
ESCALATED_ON = (None, TODAY - timedelta(days=1), TODAY)


def _question(stage: str | None) -> PromptQuestion:
    return PromptQuestion(stage=stage, run="r", since=None)


def _cases() -> list[tuple[str, PromptFacts, str | None, bool, bool]]:
    """(item id, facts, stage, escalating today, prompted today) for every combination."""
    first = CAL.add_working_days(DUE, 40 * EVERY)  # ann: prompted long before, settled
    cases = []
    combos = itertools.product(
        STAGES, (False, True), (False, True), (False, True), ESCALATED_ON, (False, True),
        (False, True),
    )  # fmt: skip
    for n, (stage, on_record, escalated, too_soon, on, escalating, today) in enumerate(combos):
        facts = PromptFacts(
            stage_prompted=on_record,
            escalated=escalated,
            too_soon=too_soon,
            escalated_on=on if escalated else None,
            contacts={"ann": (first, first)},
        )
        cases.append((f"i{n}", facts, stage, escalating, today))
    return cases


def test_the_contacts_read_names_every_item_skipped_through_todays_escalation() -> None:
    cases = _cases()
    scheduler = Scheduler(TODAY, RULES, CAL)
    facts = {i: f for i, f, _, _, _ in cases}
    questions = {i: _question(stage) for i, _, stage, _, _ in cases}
    escalating = {i for i, _, _, e, _ in cases if e}
    today = {
        i: [PromptRecord(i, stage, "ann", TODAY)] for i, _, stage, _, t in cases if t and stage
    }
    items = {i: SimpleNamespace(due=DUE, owners=("IenM",)) for i in facts}
    assessment = cast(Assessment, SimpleNamespace(as_of=TODAY, items=items))
    plan = cast(
        ReminderPlan, SimpleNamespace(escalations=[SimpleNamespace(item_id=i) for i in escalating])
    )
    skipped = _settled_after_prompt(
        assessment, scheduler, facts, questions, today, (), lambda _: ("ann",), escalating
    )
    wanted = set(contacts_wanted(plan, facts, questions, scheduler, recorded=True))
    # Skipped through today's escalation: the facts do not say the run escalated, and the stage
    # is on record from an earlier day or left out as too soon (fix57k; today's prompts tell
    # their contacts themselves).
    through_today = {
        i
        for i in skipped
        if not facts[i].escalated and (facts[i].stage_prompted or facts[i].too_soon)
    }
    assert through_today  # not vacuous
    assert through_today <= wanted
    # And the read names no more than that: escalating, on record, not told, left out next.
    assert wanted == {
        i
        for i in escalating
        if not facts[i].escalated
        and backed_off_after_escalation(
            questions[i].stage, facts[i], scheduler, escalates_today=True
        )
    }
    assert wanted <= {i for i in escalating if facts[i].stage_prompted or facts[i].too_soon}
    assert any(facts[i].too_soon and not facts[i].stage_prompted for i in wanted)
    assert not contacts_wanted(plan, facts, questions, scheduler, recorded=False)  # a day off


def test_an_escalated_item_in_a_stage_left_out_as_too_soon_has_its_contacts_read() -> None:
    """fix57k: the facts tell no contacts of a stage left out as too soon (the stage before it
    caught up late, a day after a gap): for an item whose run escalated on an earlier day, its
    contacts are read on any day (a day off too), and the back-off's stages after it are then
    no next checks, as on the day the stage before was prompted."""
    scheduler = Scheduler(TODAY, RULES, CAL)
    first = CAL.add_working_days(DUE, 40 * EVERY)
    stage = f"overdue-41@{DUE}"
    known = PromptFacts(escalated=True, too_soon=True, escalated_on=TODAY - timedelta(days=1))
    plan = cast(ReminderPlan, SimpleNamespace(escalations=[]))
    questions = {"late": _question(stage), "prompted": _question(stage)}
    facts = {"late": known, "prompted": known._replace(too_soon=False, stage_prompted=True)}
    for recorded in (True, False):
        assert contacts_wanted(plan, facts, questions, scheduler, recorded=recorded) == ["late"]
    told = {"late": known._replace(contacts={"ann": (first, first)})}
    items = {"late": SimpleNamespace(due=DUE, owners=("IenM",))}
    assessment = cast(Assessment, SimpleNamespace(as_of=TODAY, items=items))
    skipped = _settled_after_prompt(
        assessment, scheduler, told, {"late": questions["late"]}, {}, (), lambda _: ("ann",)
    )
    assert skipped["late"] == (DUE, CAL.add_working_days(DUE, 42 * EVERY), 44)
