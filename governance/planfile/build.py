"""Build a :class:`Plan` from a composed YAML tree, checking it against ``docs/plan-schema.md``.

Every check reports into a :class:`Problems` log and carries on with a placeholder, so one pass
finds every problem. The steps/actions/milestones part lives in :mod:`governance.planfile.items`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ruamel.yaml.nodes import MappingNode, Node

from governance.clock import known_timezone
from governance.office_names import OFFICE_ARTICLES
from governance.parser_version import (
    DISTINCT_ORGANISATION_LABELS,
    FORMERLY_CHECKS,
    ONE_LINE_MEETING_LOCATIONS,
    PARSER_VERSION,
)
from governance.periods import DEFAULT_SEASONS, Season
from governance.plan import (
    CalendarConfig,
    Contact,
    Goal,
    GovernanceBody,
    Location,
    Organisation,
    Plan,
    Programme,
    ReminderPolicy,
    ReportObligation,
)
from governance.planfile.contact_formerly import check_formerly, former_ids
from governance.planfile.days_off import extra_days_off
from governance.planfile.extras import indicators, meeting_schedule
from governance.planfile.items import build_steps
from governance.planfile.nodes import (
    Fields,
    Problems,
    clip,
    describe,
    id_too_long,
    mappings,
    shown,
    suggest,
)

SCHEMA_VERSION = 1

_TOP = (
    "schema",
    "programme",
    "calendar",
    "reminders",
    "organisations",
    "contacts",
    "governance",
    "reports",
    "goals",
    "steps",
)
_PROGRAMME = (
    "id",
    "title",
    "short_title",
    "description",
    "start",
    "end",
    "source_document",
    "office_name",
    "office_article",
    "mail_from",
)
_CALENDAR = (
    "timezone", "holidays_country", "seasons", "extra_days_off", "feed_keep_done_months",
)  # fmt: skip
_SEASON = ("start_month", "end_month")
#: The reminder numbers (docs/plan-schema.md, "Numbers and their ranges"): the lowest and the
#: highest value, the unit and what 0 means where 0 is allowed. A lead time, window or limit is
#: at most 366 working days (more than a year); a count of prompts at most 99; a block of months
#: at most a year.
_REMINDER_RANGES: dict[str, tuple[int, int, str, str]] = {
    "first_prompt_days": (0, 366, "working days", "0: from the due date"),
    "second_prompt_days": (0, 366, "working days", "0: on the due date"),
    "overdue_every_days": (0, 366, "working days", "0: no prompts once overdue"),
    "after_escalation_every_days": (0, 366, "working days", "0: no overdue prompts once escalated"),
    "escalate_after_unanswered": (0, 99, "prompts", "0: never for unanswered prompts"),
    "unanswered_grace_days": (0, 366, "working days", "0: from the day after the prompt"),
    "escalate_after_overdue_days": (0, 366, "working days", "0: on the first day overdue"),
    "open_ended_every_months": (1, 12, "months", ""),
    "stale_after_days": (1, 366, "working days", ""),
    "dependency_lead_days": (0, 366, "working days", "0: due the day they are done"),
    "report_lead_days": (0, 366, "working days", "0: on the due date"),
    "new_date_max_years": (1, 100, "years", ""),
}
_REMINDER_INTS = tuple(_REMINDER_RANGES)
_REMINDERS = (*_REMINDER_INTS, "on_due_date")
_ORGANISATION = ("id", "name", "short_name", "kind", "note")
_CONTACT = (
    "id",
    "name",
    "organisation",
    "email",
    "slack",
    "role",
    "programme_office",
    "channel",
    "deputy",
    "formerly",
)
CHANNELS = ("slack", "email")
_GOVERNANCE = (
    "id", "name", "purpose", "cadence", "members", "source", "meetings", "escalations",
)  # fmt: skip
_REPORT = ("id", "title", "recipient", "cadence", "action", "source")
_GOAL = ("id", "text", "category", "source", "indicators")

_PROGRAMME_ID = re.compile(r"[a-z0-9-]+")
_COUNTRY = re.compile(r"[A-Za-z]{2}")
# A contact id is part of message keys and event payloads, which join ids with ',', '+' and ':'.
_CONTACT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]*")


def build_plan(
    root: Node, path: str, problems: Problems, accepted_by: int = PARSER_VERSION
) -> Plan | None:
    """The plan, or None when anything is wrong (then ``problems`` says what). ``accepted_by``:
    see :func:`governance.planfile.parse_plan`."""
    if not isinstance(root, MappingNode):
        problems.add(
            root,
            "the plan must be a mapping with the keys schema, programme, organisations and "
            f"steps, not {describe(root)}",
        )
        return None
    top = Fields(root, _TOP, "the plan", problems)
    version = top.integer("schema", required=True)
    if version is not None and version != SCHEMA_VERSION:
        problems.add(
            top.value("schema"),
            f"unsupported schema version {clip(version)} "
            f"(this Regie reads schema {SCHEMA_VERSION})",
        )
    programme = _programme(top, problems)
    calendar = _calendar(top, problems)
    reminders = _reminders(top, problems)
    organisations = _organisations(
        top, problems, distinct=accepted_by >= DISTINCT_ORGANISATION_LABELS
    )
    org_ids = [o.id for o in organisations]
    contacts = _contacts(top, org_ids, problems)
    bodies = _governance(
        top, org_ids, path, problems, trim_location=accepted_by >= ONE_LINE_MEETING_LOCATIONS
    )
    goals = _goals(top, problems)
    steps = build_steps(
        top,
        org_ids,
        calendar.seasons,
        path,
        problems,
        formerly_checks=accepted_by >= FORMERLY_CHECKS,
    )
    action_ids = [a.id for s in steps for a in s.actions]
    reports = _reports(top, action_ids, problems)
    if problems:
        return None
    return Plan(
        programme=programme,
        steps=steps,
        organisations=organisations,
        contacts=contacts,
        governance=bodies,
        reports=reports,
        goals=goals,
        calendar=calendar,
        reminders=reminders,
        path=path,
    )


def _programme(top: Fields, problems: Problems) -> Programme:
    node = top.mapping("programme", required=True)
    if node is None:
        return Programme(id="", title="")
    f = Fields(node, _PROGRAMME, "programme", problems)
    pid = f.text("id", required=True) or ""
    if id_too_long(pid, "programme", f.value("id"), problems):
        pass
    elif pid and not _PROGRAMME_ID.fullmatch(pid):
        problems.add(
            f.value("id"),
            f"programme id {shown(pid)} may only contain a-z, 0-9 and '-' (e.g. 'mvi-2015-2020')",
        )
    start, end = f.date("start"), f.date("end")
    if start and end and end < start:
        problems.add(f.value("end"), f"programme end {end} is before its start {start}")
    return Programme(
        id=pid,
        title=f.text("title", required=True) or "",
        short_title=f.text("short_title"),
        description=f.text("description"),
        start=start,
        end=end,
        source_document=f.text("source_document"),
        office_name=(f.text("office_name") or "").strip() or None,
        office_article=_office_article(f, problems),
        mail_from=_mail_from(f, problems),
    )


_SENDER = re.compile(r"[^@\s<>,;:\"()\[\]]+@[^@\s<>,;:\"()\[\]]+\.[^@\s<>,;:\"()\[\]]+")


def _mail_from(f: Fields, problems: Problems) -> str | None:
    """``programme.mail_from``: one sender address, with or without a display name."""
    from email.utils import parseaddr

    value = (f.text("mail_from") or "").strip()
    if not value:
        return None
    if not _SENDER.fullmatch(parseaddr(value)[1]):
        problems.add(
            f.value("mail_from"),
            f"mail_from {shown(value)} is not a sender address "
            "('Programmabureau <regie@example.nl>' or 'regie@example.nl')",
        )
        return None
    return value


def _office_article(f: Fields, problems: Problems) -> str | None:
    article = f.text("office_article")
    article = article.strip().lower() if article is not None else None
    if article is not None and article not in OFFICE_ARTICLES:
        problems.add(
            f.value("office_article"),
            f"office_article {shown(article)} must be 'het' or 'de' (the article before "
            "office_name in a sentence, e.g. 'het programmabureau')",
        )
        return None
    return article


def _calendar(top: Fields, problems: Problems) -> CalendarConfig:
    node = top.mapping("calendar")
    if node is None:
        return CalendarConfig()
    f = Fields(node, _CALENDAR, "calendar", problems)
    default = CalendarConfig()
    timezone = f.text("timezone") or default.timezone
    if "timezone" in f and not known_timezone(timezone):
        problems.add(f.value("timezone"), f"unknown time zone {shown(timezone)}")
    country = f.text("holidays_country") or default.holidays_country
    if "holidays_country" in f and not _COUNTRY.fullmatch(country):
        # 'BE-VLG': a region's own days off are listed under extra_days_off.
        region = _COUNTRY.fullmatch(country[:2]) and country[2:3] in ("-", "_", " ")
        hint = ": list a region's own days off under 'extra_days_off'" if region else ""
        problems.add(
            f.value("holidays_country"),
            f"holidays_country {shown(country)} must be a two-letter country code such as "
            f"'NL'{hint or _country_hint(country)}",
        )
    seasons = dict(DEFAULT_SEASONS)
    seasons.update(_seasons(f, problems))
    return CalendarConfig(
        timezone=timezone,
        holidays_country=country.upper(),  # 'be' is Belgium, as the holidays package says
        seasons=seasons,
        extra_days_off=extra_days_off(f.value("extra_days_off"), problems),
        feed_keep_done_months=_keep_done_months(f),
    )


def _keep_done_months(f: Fields) -> int:
    """``calendar.feed_keep_done_months``: how long done and dropped items and past meetings
    stay in calendar feeds (0–1200 months: a century, which keeps them for good)."""
    months = f.integer_in("feed_keep_done_months", 0, 1200, "months", zero="0: gone once done")
    return CalendarConfig().feed_keep_done_months if months is None else months


def _seasons(calendar: Fields, problems: Problems) -> dict[str, Season]:
    """Overrides per season name; a name outside the four defaults is most likely a typo."""
    node = calendar.mapping("seasons")
    if node is None:
        return {}
    out: dict[str, Season] = {}
    names = list(DEFAULT_SEASONS)
    seen: set[str] = set()
    for key, value in node.value:
        name = str(key.value).lower() if key.tag.endswith(":str") else None
        if name is None or name not in DEFAULT_SEASONS:
            what = shown(str(key.value)) if name is not None else describe(key)
            problems.add(
                key,
                f"unknown season {what} (seasons are {', '.join(names)})"
                f"{suggest(name or '', names)}",
            )
            continue
        if name in seen:
            problems.add(key, f"season {name!r} is configured twice")
            continue
        seen.add(name)
        if not isinstance(value, MappingNode):
            problems.add(
                value,
                f"season {name!r} must be a mapping {{start_month: M, end_month: M}}, "
                f"not {describe(value)}",
            )
            continue
        f = Fields(value, _SEASON, f"season {name!r}", problems)
        months = [f.integer(k, required=True) for k in _SEASON]
        ok = True
        for month, k in zip(months, _SEASON, strict=True):
            if month is not None and not 1 <= month <= 12:
                problems.add(f.value(k), f"{k} of season {name!r} must be 1–12, not {clip(month)}")
                ok = False
        start, end = months
        if ok and start is not None and end is not None:
            out[name] = Season(start, end)
    return out


def _reminders(top: Fields, problems: Problems) -> ReminderPolicy:
    node = top.mapping("reminders")
    if node is None:
        return ReminderPolicy()
    f = Fields(node, _REMINDERS, "reminders", problems)
    values: dict[str, int] = {}
    for name, (low, high, unit, zero) in _REMINDER_RANGES.items():
        number = f.integer_in(name, low, high, unit, zero=zero)
        if number is not None:
            values[name] = number
    on_due = f.boolean("on_due_date")
    given = f.value("escalate_after_overdue_days") or node
    policy = ReminderPolicy(
        **values,
        on_due_date=ReminderPolicy().on_due_date if on_due is None else on_due,
        escalation_at=(given.start_mark.line + 1, given.start_mark.column + 1),
    )
    refused = any(k in f and k not in values for k in ("first_prompt_days", "second_prompt_days"))
    if not refused and policy.second_prompt_days > policy.first_prompt_days:
        # The second window would open first: the first prompt would never be sent.
        name = "second_prompt_days" if "second_prompt_days" in values else "first_prompt_days"
        problems.add(
            f.value(name),
            f"'second_prompt_days' {_setting(policy.second_prompt_days, values, 'second')} is "
            f"more than 'first_prompt_days' {_setting(policy.first_prompt_days, values, 'first')}"
            ": the second prompt comes closer to the due date than the first",
        )
    return policy


def _setting(number: int, given: dict[str, int], which: str) -> str:
    return str(number) if f"{which}_prompt_days" in given else f"({number}, the default)"


def _records(
    top: Fields, key: str, what: str, problems: Problems, *, required: bool = False
) -> Iterator[MappingNode]:
    """The mappings of a top-level list such as ``organisations``; required lists are non-empty."""
    items = top.items(key, required=required)
    if items is None:
        return
    if required and not items:
        problems.add(top.value(key), f"{key!r} must not be empty")
    yield from mappings(items, what, problems)


def _unique(f: Fields, what: str, seen: dict[str, Node], problems: Problems) -> str:
    """The record's required id, reporting a duplicate at the second use."""
    rid = f.text("id", required=True) or ""
    node = f.value("id")
    if rid and node is not None:
        id_too_long(rid, what, node, problems)
        if rid in seen:
            first = seen[rid].start_mark.line + 1
            problems.add(node, f"duplicate {what} id {shown(rid)} (first at line {first})")
        else:
            seen[rid] = node
    return rid


def _known_org(ref: str, node: Node, org_ids: list[str], where: str, problems: Problems) -> None:
    if org_ids and ref not in org_ids:
        problems.add(node, f"unknown organisation {shown(ref)} in {where}{suggest(ref, org_ids)}")


def _organisations(top: Fields, problems: Problems, *, distinct: bool) -> tuple[Organisation, ...]:
    out: list[Organisation] = []
    seen: dict[str, Node] = {}
    shown_as: dict[str, Node] = {}  # how readers see each owner: two alike cannot be told apart
    for node in _records(top, "organisations", "organisation", problems, required=True):
        f = Fields(node, _ORGANISATION, "organisation", problems)
        org = Organisation(
            id=_unique(f, "organisation", seen, problems),
            name=f.text("name", required=True) or "",
            kind=f.text("kind"),
            note=f.text("note"),
            short_name=f.text("short_name"),
        )
        out.append(org)
        where = f.value("short_name" if org.short_name else "name")
        if distinct and org.label and where is not None:
            if org.label in shown_as:
                first = shown_as[org.label].start_mark.line + 1
                problems.add(
                    where,
                    f"organisation {shown(org.id)} is shown as {shown(org.label)}, as another "
                    f"one is (line {first}): give it a short_name of its own",
                )
            else:
                shown_as[org.label] = where
    return tuple(out)


def _contacts(top: Fields, org_ids: list[str], problems: Problems) -> tuple[Contact, ...]:
    out: list[Contact] = []
    seen: dict[str, Node] = {}
    deputies: list[tuple[str, str, Node]] = []
    formerly: list[tuple[str, str, Node]] = []  # contact id, old id, where
    for node in _records(top, "contacts", "contact", problems):
        f = Fields(node, _CONTACT, "contact", problems)
        org = f.text("organisation", required=True) or ""
        org_node = f.value("organisation")
        if org and org_node is not None:
            _known_org(org, org_node, org_ids, "'organisation'", problems)
        office = f.boolean("programme_office")
        channel = f.text("channel")
        channel_node = f.value("channel")
        if channel is not None and channel not in CHANNELS and channel_node is not None:
            problems.add(
                channel_node,
                f"unknown channel {shown(channel)}: use {' or '.join(CHANNELS)}"
                f"{suggest(channel, list(CHANNELS))}",
            )
        contact_id = _unique(f, "contact", seen, problems)
        id_node = f.value("id")
        if contact_id and id_node is not None and not _CONTACT_ID.fullmatch(contact_id):
            problems.add(
                id_node,
                f"contact id {shown(contact_id)} may only contain a-z, A-Z, 0-9, '.', '_', '-' "
                "and '@', starting with a letter or digit",
            )
        old_ids = former_ids(f, contact_id, _CONTACT_ID, problems)
        formerly.extend((contact_id, old, where) for old, where in old_ids)
        contact = Contact(
            id=contact_id,
            name=f.text("name", required=True) or "",
            organisation=org,
            email=f.text("email"),
            slack=f.text("slack"),
            role=f.text("role"),
            programme_office=bool(office),
            channel=channel,
            deputy=f.text("deputy"),
            formerly=tuple(old for old, _ in old_ids),
        )
        deputy_node = f.value("deputy")
        if contact.deputy and deputy_node is not None:
            deputies.append((contact.id, contact.deputy, deputy_node))
        out.append(contact)
    ids = [c.id for c in out]
    check_formerly(formerly, ids, problems)
    # A deputy may be listed after the contact it stands in for.
    for contact_id, deputy, where in deputies:
        if deputy == contact_id:
            problems.add(where, f"contact {shown(contact_id)} cannot be their own deputy")
        elif deputy in (renamed := {old: cid for cid, old, _ in formerly}) and (
            renamed[deputy] in ids
        ):  # a rename's other half (fix58a): said so, not "unknown"
            problems.add(
                where,
                f"'deputy' names {shown(deputy)}, now contact {shown(renamed[deputy])} (its "
                f"'formerly'): name the contact by its id, {shown(renamed[deputy])}",
            )
        elif deputy not in ids:
            problems.add(
                where, f"unknown contact {shown(deputy)} in 'deputy'{suggest(deputy, ids)}"
            )
    return tuple(out)


def _governance(
    top: Fields, org_ids: list[str], path: str, problems: Problems, *, trim_location: bool = True
) -> tuple[GovernanceBody, ...]:
    """``trim_location``: drop the line break a folded ``location: >`` ends with (parser 19 on;
    a plan an older parser accepted is read as it was, its packs made again byte for byte)."""
    out: list[GovernanceBody] = []
    seen: dict[str, Node] = {}
    escalating: str | None = None  # the body already named with 'escalations: true'
    for node in _records(top, "governance", "governance body", problems):
        f = Fields(node, _GOVERNANCE, "governance body", problems)
        members = f.refs("members", "organisation id") or []
        given = f.value("members")  # told apart from none: `members: []` earns a warning
        members_at = (
            Location(path, given.start_mark.line + 1, given.start_mark.column + 1)
            if given is not None
            else None
        )
        for ref, ref_node in members:
            _known_org(ref, ref_node, org_ids, "'members'", problems)
        escalations = f.boolean("escalations") is True
        if escalations and escalating is not None:
            problems.add(
                f.value("escalations"),
                f"'escalations: true' is already set on {shown(escalating)}: escalations go to "
                "one body",
            )
        elif escalations:
            escalating = f.text("id") or "?"
        out.append(
            GovernanceBody(
                id=_unique(f, "governance body", seen, problems),
                name=f.text("name", required=True) or "",
                purpose=f.text("purpose", required=True) or "",
                cadence=f.text("cadence"),
                members=tuple(ref for ref, _ in members),
                source=f.text("source"),
                meetings=meeting_schedule(f, problems, trim_location=trim_location),
                escalations=escalations,
                members_location=members_at,
            )
        )
    return tuple(out)


def _goals(top: Fields, problems: Problems) -> tuple[Goal, ...]:
    out: list[Goal] = []
    seen: dict[str, Node] = {}
    indicator_ids: dict[str, Node] = {}
    for node in _records(top, "goals", "goal", problems):
        f = Fields(node, _GOAL, "goal", problems)
        goal_id = _unique(f, "goal", seen, problems)
        out.append(
            Goal(
                id=goal_id,
                text=f.text("text", required=True) or "",
                category=f.text("category"),
                source=f.text("source"),
                indicators=indicators(f, goal_id, indicator_ids, problems),
            )
        )
    return tuple(out)


def _reports(
    top: Fields, action_ids: list[str], problems: Problems
) -> tuple[ReportObligation, ...]:
    out: list[ReportObligation] = []
    seen: dict[str, Node] = {}
    for node in _records(top, "reports", "report", problems):
        f = Fields(node, _REPORT, "report", problems)
        action = f.text("action")
        action_node = f.value("action")
        if action and action_node is not None and action not in action_ids:
            problems.add(
                action_node,
                f"unknown action {shown(action)} in 'action'{suggest(action, action_ids)}",
            )
        out.append(
            ReportObligation(
                id=_unique(f, "report", seen, problems),
                title=f.text("title", required=True) or "",
                recipient=f.text("recipient", required=True) or "",
                cadence=f.text("cadence"),
                action=action,
                source=f.text("source"),
            )
        )
    return tuple(out)


def _country_hint(text: str) -> str:
    """' (did you mean 'BE', België?)' for a country's three-letter code or its name in Dutch
    or English ('Belgie', 'BEL', 'Duitsland'), among the countries the calendar knows; ''
    otherwise. Read only when the code is wrong."""
    import difflib
    import unicodedata

    from babel import Locale
    from holidays import registry  # the calendar's own list of countries

    def plain(name: str) -> str:
        decomposed = unicodedata.normalize("NFKD", name.casefold())
        return "".join(c for c in decomposed if c.isalnum())

    dutch, english = Locale("nl").territories, Locale("en").territories
    by_name: dict[str, str] = {}
    for _, code, alpha3, *_ in registry.COUNTRIES.values():
        by_name[alpha3.lower()] = code
        for names in (english, dutch):  # Dutch last: its spelling wins a name both share
            if code in names:
                by_name[plain(names[code])] = code
    found = difflib.get_close_matches(plain(text), list(by_name), n=1, cutoff=0.75)
    if not found:
        return ""
    code = by_name[found[0]]
    return f" (did you mean {shown(code)}, {dutch.get(code, code)}?)"
