"""The plan parser's version, apart from the parser so that reading it imports no YAML library
(the parse cache keys on it: a cached plan is used without loading ruamel.yaml at all).

Part of :attr:`Plan.source_hash` too: raise it when the same file text would now load as a
different plan, so that a stored "synced from this file" and cached parses no longer match.
"""

#: 2: contact ids are checked (a cached parse of a plan with a bad one is stale).
#: 3: every number has a range, plan dates lie in 1900–2199, ids are at most 64 characters, an
#: ``except`` date must be one its rule gives, a milestone may not depend on its own action.
#: 4: a governance body may carry ``escalations: true``.
#: 5: the milestones of an action without a ``gereed`` of its own depend on what the action's
#: ``depends_on`` names (checked for cycles too), and problem lines echo at most 60 characters
#: of a value.
#: 6: ``calendar.extra_days_off`` and ``reminders.after_escalation_every_days`` (fields of the
#: pickled calendar and policy).
#: 7: ``reminders.unanswered_grace_days`` (a field of the pickled policy).
#: 8: ``programme.office_name`` and ``programme.office_article`` (fields of the pickled
#: programme).
#: 9: ``reminders.report_lead_days`` (a field of the pickled policy).
#: 10: ``programme.mail_from`` (a field of the pickled programme).
#: 11: ``calendar.feed_keep_done_months`` (a field of the pickled calendar) and a meeting
#: schedule's ``example`` flag.
#: 12: ``reminders.new_date_max_years`` (a field of the pickled policy).
#: 13: ``organisations[].short_name`` (a field of the pickled organisation).
#: 14: an action's or milestone's ``formerly`` (a field of the pickled items), with its checks.
#: 15: where a governance body's ``members`` stands (a field of the pickled body): validation
#: warns of ``members: []``.
#: 16: where a meeting schedule's ``dates`` and its rule's ``until`` stand (fields of the pickled
#: schedule and rule): validation warns of a date, or an ``until``, after ``programme.end``.
#: 17: where ``reminders.escalate_after_overdue_days`` stands (a field of the pickled policy):
#: validation warns of an escalation before the first overdue prompt.
#: 18: every cadence word of a report (``halfjaarlijks``, ``per kwartaal``, ``elk kwartaal``, …)
#: is a periodic *gereed* (RECURRING), as ``jaarlijks`` was (walk55d 9): a text refused before
#: now loads.
#: 19: a meeting's ``location`` (a governance body's meetings) is one line (walk57b 7): it is a
#: calendar event's LOCATION and a line of the pack.
#: 20: a contact's ``formerly`` (a field of the pickled contact: the ids a renamed contact had
#: before), with its checks. Parsers before 20 refused the key on a contact, so no kept plan
#: has it: the checks refuse nothing an earlier parser accepted, and need no constant below.
PARSER_VERSION = 20

#: The version that added each check refusing a plan an earlier version accepted. A plan text
#: kept with an archived report is read without the checks added after the version that hashed
#: it (``parse_plan(..., accepted_by=v)``): a stricter parser must not make an intact archive
#: unreadable; the plan file itself is always checked with every one (review9 3). A new check
#: that refuses what was accepted raises PARSER_VERSION and is named here with it.
#: Plan texts are kept since migration 0019, which came with parser 5: every kept text passed
#: the checks parsers 2, 3 and 5 added, so they need no entry. A check added while a version was
#: current, without a raise, is named with the next version (the first whose every accepted text
#: passed it): a text that version hashed before the check came is read without it.
#: 6: steps', actions' and milestones' ``title`` and a governance body's ``name`` are one line
#: (added while 5 was current, after plan texts were kept).
ONE_LINE_TITLES = 6
#: 8: an extra day off's ``name`` is one line (added while 7 was current).
ONE_LINE_DAY_OFF_NAMES = 8
#: 13: an organisation's ``name`` and ``short_name`` are one line.
ONE_LINE_ORGANISATION_NAMES = 13
#: 19: a meeting's ``location`` is one line.
ONE_LINE_MEETING_LOCATIONS = 19
#: 13: no two organisations are shown alike (``short_name``, else ``name``).
DISTINCT_ORGANISATION_LABELS = 13
#: 14: an item's ``formerly`` names an id the plan no longer has, not its own, and no other
#: item's. (Parsers before 14 refused the key itself, so no kept plan has it; the constant says
#: where the checks start all the same.)
FORMERLY_CHECKS = 14
