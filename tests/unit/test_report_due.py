"""When a reporting obligation's report falls due and when the office is reminded of it
(governance.report_due, pure): the cadence's periods, the action's items, what is delivered."""

from __future__ import annotations

import dataclasses
from datetime import date

from governance.plan import Plan, Programme, ReportObligation
from governance.report_due import ArchivedPeriod, obligation_dues, reminder_key, reminders_due
from governance.workdays import WorkCalendar
from tests.unit.planbuilder import act, contact, make_plan, ms, policy, quarter, recurring

YEARLY = ReportObligation("jaarverslag", "Jaarverslag", "Vlaams Parlement", cadence="jaarlijks")


def _plan(*reports: ReportObligation, lead: int = 10) -> Plan:
    plan = make_plan(
        act("1.1", ms("1.1.1", quarter(2025, 3))),
        act("4.4", period=quarter(2027, 1)),
        contacts=(contact("po", "IenM", office=True),),
        reminders=policy(report_lead_days=lead),
        start=date(2025, 1, 1),
    )
    programme = Programme("cb", "Circulair Bouwen", start=date(2025, 1, 1), end=date(2028, 12, 31))
    return dataclasses.replace(plan, programme=programme, reports=reports)


def test_a_yearly_report_falls_due_at_each_periods_end_within_the_programme() -> None:
    plan = _plan(YEARLY)
    dues = list(obligation_dues(plan, YEARLY, date(2030, 1, 1)))
    assert [(r.start, r.end, r.due) for r in dues] == [
        (date(y, 1, 1), date(y, 12, 31), date(y, 12, 31)) for y in (2025, 2026, 2027, 2028)
    ]


def test_the_office_is_reminded_from_the_lead_days_before_through_the_due_date() -> None:
    plan = _plan(YEARLY, lead=5)
    cal = WorkCalendar.for_plan(plan)
    # 31 December 2025 is a Wednesday; 23, 24, 29, 30 and 31 December are the 5 working days
    # (25 and 26 December are holidays): the window opens on the 22nd.
    assert cal.window_start(date(2025, 12, 31), 5) == date(2025, 12, 22)
    assert reminders_due(plan, date(2025, 12, 19), cal) == []
    (due,) = reminders_due(plan, date(2025, 12, 22), cal)
    assert (due.obligation.id, due.due) == ("jaarverslag", date(2025, 12, 31))
    assert [r.due for r in reminders_due(plan, date(2025, 12, 31), cal)] == [date(2025, 12, 31)]
    assert reminders_due(plan, date(2026, 1, 2), cal) == []
    assert reminder_key("jaarverslag", date(2025, 12, 31), "po") == (
        "report-due:jaarverslag:2025-12-31:po"
    )


def test_the_default_lead_is_ten_working_days() -> None:
    plan = _plan(YEARLY)
    assert plan.reminders.report_lead_days == 10
    cal = WorkCalendar.for_plan(plan)
    opens = cal.window_start(date(2025, 12, 31), 10)
    assert reminders_due(plan, opens, cal) and not reminders_due(plan, opens.replace(day=12), cal)


def test_an_archived_report_for_the_period_stops_the_reminder() -> None:
    plan = _plan(YEARLY)
    cal = WorkCalendar.for_plan(plan)
    day = date(2025, 12, 22)
    made = {"jaarverslag": [ArchivedPeriod(date(2025, 1, 1), date(2025, 12, 31), day)]}
    assert reminders_due(plan, day, cal, archived=made) == []
    earlier = {"jaarverslag": [ArchivedPeriod(date(2024, 1, 1), date(2024, 12, 31), day)]}
    assert reminders_due(plan, day, cal, archived=earlier) != []


def test_the_action_that_delivers_it_sets_the_due_date_and_its_gereed_mark_stops_it() -> None:
    biennial = ReportObligation(
        "vgr", "Voortgangsrapportage", "Tweede Kamer", cadence="tweejaarlijks", action="4.4"
    )
    plan = _plan(biennial)
    (first, second) = obligation_dues(plan, biennial, date(2030, 1, 1))
    # The report over 2025–2026 is delivered by 4.4 (Q1-2027): due at its gereed.
    assert (first.start, first.end, first.due) == (date(2025, 1, 1), date(2026, 12, 31),
                                                   date(2027, 3, 31))  # fmt: skip
    assert [d.item_id for d in first.items] == ["4.4"]
    assert (second.end, second.due, second.items) == (date(2028, 12, 31), date(2028, 12, 31), ())
    cal = WorkCalendar.for_plan(plan)
    assert [r.due for r in reminders_due(plan, date(2027, 3, 24), cal)] == [date(2027, 3, 31)]
    assert reminders_due(plan, date(2027, 3, 24), cal, finished={"4.4"}) == []


def test_an_item_due_on_the_programmes_end_delivers_the_last_cut_period_not_two() -> None:
    """The programme ends on 4.4's day (31 March 2027), inside the second biennial period:
    4.4 delivers the last report (2027-01-01 up to the end), the one over 2025–2026 falls due
    at its own end. Two reports due the same day would share one reminder key."""
    biennial = ReportObligation(
        "vgr", "Voortgangsrapportage", "Tweede Kamer", cadence="tweejaarlijks", action="4.4"
    )
    plan = _plan(biennial)
    ends = dataclasses.replace(plan.programme, end=date(2027, 3, 31))
    plan = dataclasses.replace(plan, programme=ends)
    dues = list(obligation_dues(plan, biennial, date(2030, 1, 1)))
    assert [(r.start, r.end, r.due, [d.item_id for d in r.items]) for r in dues] == [
        (date(2025, 1, 1), date(2026, 12, 31), date(2026, 12, 31), []),
        (date(2027, 1, 1), date(2027, 3, 31), date(2027, 3, 31), ["4.4"]),
    ]
    cal = WorkCalendar.for_plan(plan)
    (last,) = reminders_due(plan, date(2027, 3, 24), cal)
    assert (last.start, last.end) == (date(2027, 1, 1), date(2027, 3, 31))


def test_without_a_cadence_the_actions_open_items_set_the_dates() -> None:
    ad_hoc = ReportObligation("brief", "Kamerbrief", "Tweede Kamer", action="4.4")
    plan = _plan(ad_hoc)
    assert [r.due for r in obligation_dues(plan, ad_hoc, date(2030, 1, 1))] == [date(2027, 3, 31)]
    made = [ArchivedPeriod(date(2025, 1, 1), date(2026, 12, 31), date(2027, 3, 1))]
    assert list(obligation_dues(plan, ad_hoc, date(2030, 1, 1), archived=made)) == []
    nothing = ReportObligation("los", "Losse rapportage", "Raad")  # no cadence, no action
    assert list(obligation_dues(_plan(nothing), nothing, date(2030, 1, 1))) == []


def test_a_plan_without_reports_has_nothing_due() -> None:
    plan = _plan()
    assert reminders_due(plan, date(2025, 12, 22), WorkCalendar.for_plan(plan)) == []


def test_the_reminder_reads_in_mail_and_slack() -> None:
    """The message to the office (regie.report_due) in its three forms, under the templates'
    strict undefined: Dutch, whom the report is for, the period, the action's item."""
    from notifications.slack_blocks import digest_blocks
    from regie.mapping import message_from_outbox
    from regie.recheck import rerender
    from regie.report_due import report_due_message

    biennial = ReportObligation(
        "vgr", "Voortgangsrapportage", "Tweede Kamer", cadence="tweejaarlijks", action="4.4"
    )
    plan = _plan(biennial)
    cal = WorkCalendar.for_plan(plan)
    (due,) = reminders_due(plan, date(2027, 3, 24), cal)
    office = plan.contacts[0]
    record = report_due_message(plan, due, office, date(2027, 3, 24), cal)
    assert record.key == "report-due:vgr:2027-03-31:po" and record.kind == "report_due"
    assert "Aan: Tweede Kamer" in record.body_text and "Uiterlijk: 31 maart 2027 (nog " in (
        record.body_text
    )
    assert "- 4.4 Actie 4.4" in record.body_text and "Gereed: Q1-2027" in record.body_text
    assert record.body_html is not None and '<td valign="top">Tweede Kamer</td>' in record.body_html
    # The item that delivers it (left out at sending once it is gereed: regie.recheck).
    assert record.payload["items"] == [{"id": "4.4", "title": "Actie 4.4", "gereed": "Q1-2027"}]
    blocks = digest_blocks(message_from_outbox(record))
    intro = next(b for b in blocks if b.get("block_id") == "intro")["text"]["text"]
    assert "*Tweede Kamer*" in intro and "uiterlijk 31 maart 2027" in intro and "4.4" in intro
    item = next(b for b in blocks if b.get("block_id") == "item:4.4")["text"]["text"]
    assert item == "*4.4* Actie 4.4\nGereed: _Q1-2027_"
    assert not any(b["type"] == "actions" for b in blocks)  # nothing for an owner to answer
    # Made again from what it stored (regie.recheck, before sending): the same message.
    again = rerender(record, dict(record.payload["render"]), set())
    assert (again.subject, again.body_text, again.body_html) == (
        record.subject, record.body_text, record.body_html,
    )  # fmt: skip


def test_report_lead_days_is_a_reminders_setting_with_a_range() -> None:
    from tests.unit.planfile.plantext import plan as loaded
    from tests.unit.planfile.plantext import plan_text, problems

    assert loaded(plan_text()).reminders.report_lead_days == 10
    assert loaded(plan_text(reminders="{report_lead_days: 0}")).reminders.report_lead_days == 0
    assert loaded(plan_text(reminders="{report_lead_days: 366}")).reminders.report_lead_days == 366
    (problem,) = problems(plan_text(reminders="{report_lead_days: 367}"))
    assert problem.endswith(
        "'report_lead_days' must be 0–366 working days (0: on the due date), not 367"
    )


HALF_YEARLY = ReportObligation(
    "halfjaar", "Halfjaarrapportage", "Ministerraad", cadence="halfjaarlijks", action="4.3"
)


def _mail(plan: Plan, as_of: date) -> tuple[str, str]:
    """The reminder's text and HTML (without ``<code>``), each run of whitespace one space."""
    from regie.report_due import report_due_message

    cal = WorkCalendar.for_plan(plan)
    (due,) = reminders_due(plan, as_of, cal)
    record = report_due_message(plan, due, plan.contacts[0], as_of, cal)
    assert record.body_html is not None
    html = record.body_html.replace("<code>", "").replace("</code>", "")
    return " ".join(record.body_text.split()), " ".join(html.split())


def test_the_reminder_says_what_mark_done_records_by_the_commands_rule() -> None:
    """walk58a 2: the reminder promised that --mark-done records the action gereed, also for an
    ongoing action (*halfjaarlijks*) for which the command records nothing; and it did not say
    that a concept must be approved first. It names what the command's rule
    (governance.progress_period.delivered_by, through governance.report_due.marked_done) finds."""
    from governance.assessment import assess
    from governance.progress_period import delivered_items, delivery_window
    from governance.report_due import marked_done

    biennial = ReportObligation(
        "vgr", "Voortgangsrapportage", "Tweede Kamer", cadence="tweejaarlijks", action="4.4"
    )
    plan = make_plan(
        act("1.1", ms("1.1.1", quarter(2025, 3))),
        act("4.3", period=recurring()),
        act("4.4", period=quarter(2027, 1)),
        contacts=(contact("po", "IenM", office=True),),
        reminders=policy(report_lead_days=10),
        start=date(2025, 1, 1),
    )
    programme = Programme("cb", "Circulair Bouwen", start=date(2025, 1, 1), end=date(2028, 12, 31))
    delivering = dataclasses.replace(plan, programme=programme, reports=(biennial,))
    ongoing = dataclasses.replace(plan, programme=programme, reports=(HALF_YEARLY,))

    text, html = _mail(delivering, date(2027, 3, 24))
    assert (
        "Met --mark-done legt u daarbij vast dat actie 4.4 gereed is. Dat kan zodra een besluit "
        'de rapportage heeft vastgesteld ("regie decision add … --approves-report '
        'vgr:2025-01-01/2026-12-31"); tot dan is zij een concept.'
    ) in text
    assert (
        "Met --mark-done legt u daarbij vast dat actie 4.4 gereed is. Dat kan zodra een besluit "
        "de rapportage heeft vastgesteld (regie decision add … --approves-report "
        "vgr:2025-01-01/2026-12-31); tot dan is zij een concept."
    ) in html
    nothing = (
        "Met --mark-done legt u bij deze rapportage niets gereed vast: actie 4.3 heeft geen open "
        "onderdeel dat van 30 juni 2025 tot en met 31 december 2025 gereed moet zijn."
    )
    text, html = _mail(ongoing, date(2025, 6, 23))
    assert "vast dat actie 4.3 gereed" not in text + html
    assert nothing in text and nothing in html
    # One rule: the items the reminder names are those the command marks on the report's day.
    for p, obligation, start, end in (
        (delivering, biennial, date(2025, 1, 1), date(2026, 12, 31)),
        (ongoing, HALF_YEARLY, date(2025, 1, 1), date(2025, 6, 30)),
    ):
        until = delivery_window(start, end, obligation)
        marked = delivered_items(assess(p, [], end), str(obligation.action), end, until)
        found = marked_done(p, obligation, start, end)
        assert [d.item_id for d in found] == [i.item_id for i in marked]
    assert [d.item_id for d in marked_done(delivering, biennial, date(2025, 1, 1),
                                           date(2026, 12, 31), finished={"4.4"})] == []  # fmt: skip


def test_a_reminder_made_again_leaves_out_what_was_marked_since() -> None:
    """At sending (regie.recheck) an item finished since is no longer one --mark-done records."""
    from regie.recheck import rerender

    plan = _plan(
        ReportObligation("vgr", "V", "Tweede Kamer", cadence="tweejaarlijks", action="4.4")
    )
    from regie.report_due import report_due_message

    cal = WorkCalendar.for_plan(plan)
    (due,) = reminders_due(plan, date(2027, 3, 24), cal)
    record = report_due_message(plan, due, plan.contacts[0], date(2027, 3, 24), cal)
    context = dict(record.payload["render"])
    assert context["marks"] == ["4.4"]
    again = rerender(record, context, {"4.4"})
    assert again.payload["render"]["marks"] == []
    assert "vast dat actie 4.4 gereed" not in again.body_text
