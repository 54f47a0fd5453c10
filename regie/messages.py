"""Turn the reminder policy's digests into outbox messages (Dutch text from templates)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import fields, is_dataclass, replace
from datetime import date, time
from typing import Any, NamedTuple

from governance.answers import written_by
from governance.assessment import Assessment, ItemAssessment
from governance.decisions import decided_by
from governance.forecasts import QuotedForecast
from governance.office_names import office_names
from governance.plan import Action, Contact, Plan
from governance.programme_end import ended as has_ended
from governance.rag import State
from governance.reminders import (
    Digest,
    Escalation,
    EscalationDigest,
    EscalationOverview,
    HandedOver,
    Handover,
    OpenElsewhere,
    PromptRecord,
    ReminderPlan,
    escalation_digest_key,
    free_key,
    handed_over,
    is_addition,
    steering_body,
)
from governance.reminders.planning import asked_through
from governance.reminders.records import NOTICE_PREFIX
from governance.updates import StatusUpdate
from regie.note_readers import may_read
from store.records import OutboxRecord

#: An update's note and author, read by id (:func:`store.assessment_query.notes_by_id`).
Recalled = tuple[str | None, str | None]


def _contact(plan: Plan, contact_id: str) -> Contact:
    found = next((c for c in plan.contacts if c.id == contact_id), None)
    # The policy only addresses contacts from the plan; a missing one is a programming error.
    assert found is not None, contact_id
    return found


def _programme(plan: Plan) -> dict[str, Any]:
    p = plan.programme
    return {"id": p.id, "title": p.title, "short_title": p.short_title, **office_fields(plan)}


def office_fields(plan: Plan) -> dict[str, str]:
    """The plan's own name for the office (``programme.office_name``/``office_article``) for a
    render context or a payload; none when it leaves them out (the templates' defaults)."""
    p = plan.programme
    fields = {"office_name": p.office_name, "office_article": p.office_article}
    return {k: v for k, v in fields.items() if v}


def _without_contact(plan: Plan, owners: tuple[str, ...]) -> list[str]:
    """Owners with no contact of their own: the programme office answers in their place."""
    with_contact = {c.organisation for c in plan.contacts}
    return [org for org in owners if org not in with_contact]


def digest_message(
    plan: Plan,
    digest: Digest,
    assessment: Assessment,
    linker: Callable[[str, str, str], str] | None = None,
    actions: Mapping[str, Action] | None = None,
    notes: Mapping[int, Recalled] | None = None,
    *,
    reply_to: bool = True,
    former: Mapping[str, str] | None = None,
    elsewhere: OpenElsewhere | None = None,
    forecasts: Mapping[str, QuotedForecast] | None = None,
) -> OutboxRecord:
    """``linker(contact, item, message key)`` gives each item a signed answer link (e-mail);
    ``actions`` (the plan's by id) saves a pass over the plan per digest. ``reply_to``: the
    mail carries a Reply-To (a reply by mail reaches the office). ``former``: the names of
    contacts no longer in the plan but not forgotten (:func:`former_contacts`), so that a
    hand-over names the predecessor who was removed from the plan. ``elsewhere``: the
    contact's other open items (:func:`governance.reminders.open_elsewhere`): the digest ends
    with how many, and how many of them are late (none: no such line). ``forecasts``: the
    items' forecasts as the latest answers quote them (:func:`regie.forecasts.quoted_forecasts`;
    none: read from the assessment, :func:`_quoted`)."""
    contact = _contact(plan, digest.contact_id)
    if actions is None:
        actions = {a.id: a for a in plan.actions()}  # one pass, not a scan per item
    names = {**(former or {}), **{c.id: c.name for c in plan.contacts}}
    items = []
    for item in digest.items:
        action = actions.get(item.action_id)
        assessed = assessment.items[item.item_id]
        owners = assessed.owners
        items.append(
            {
                "item_id": item.item_id,
                "title": item.title,
                "action_id": item.action_id,
                "action_title": action.title if action and action.id != item.item_id else None,
                "gereed": item.gereed,
                "due": item.due,
                "state": item.state,
                "stage": item.stage,
                "days_overdue": assessed.working_days_overdue,
                "owners": list(owners),
                "owner_names": plan.owner_names(owners),  # as the reader knows them
                "no_contact_for": (
                    plan.owner_names(_without_contact(plan, owners)) if item.note else []
                ),
                "answer_url": (
                    linker(contact.id, item.item_id, digest.key)
                    if linker is not None and contact.email
                    else None
                ),
                **_handed_over(item.handover, names, plan),
                **_latest(
                    plan, assessed, notes or {}, contact.id, quoted=_quoted(forecasts, assessed)
                ),
                **_notice(plan, item.stage, assessed, actions),
            }
        )
    payload = [
        {
            "id": i.item_id,
            "stage": i.stage,
            "state": i.state,
            **_shown(x),
            **_handover_shown(x),
            **_latest_shown(x),
            **({k: x[k] for k in _NOTICE_SHOWN} if "notice" in x else {}),
        }
        for i, x in zip(digest.items, items, strict=True)
    ]
    # After the programme's end an owner is still asked about what is left open: the message
    # says the programme has ended (walk32b 7), so that the request does not read as routine.
    end = plan.programme.end
    extra: dict[str, Any] = {}
    if has_ended(end, digest.as_of):
        extra["programme_ended"] = end.isoformat()
    if elsewhere is not None and elsewhere.open:
        # Only then: the context of a digest with nothing else open stays as it was.
        extra.update(others_open=elsewhere.open, others_late=elsewhere.late)
    return _message(
        plan,
        "reminder_digest",
        contact,
        digest.as_of,
        digest.key,
        items,
        payload,
        extra or None,
        reply_to=reply_to,
    )


#: What a channel shows of a notice item (Slack builds its blocks from the payload).
_NOTICE_SHOWN = ("notice", "predecessors_cancelled", "decides")


def _notice(
    plan: Plan, stage: str, assessed: ItemAssessment, actions: Mapping[str, Action]
) -> dict[str, Any]:
    """A notice item's context (``predecessor-cancelled@…``, :mod:`governance.reminders`,
    "Stages"): ``notice``, the cancelled predecessors (id and title) and the body that decides
    (``decides``, the steering body's name), so that the message says which one was dropped
    and that the item has no date now; none for any other stage,
    so the context of every other item stays as it was."""
    if not stage.startswith(NOTICE_PREFIX):
        return {}
    by_id = plan.deadline_table().by_id
    named = []
    for pid in assessed.cancelled_predecessors:
        found = by_id.get(pid) or actions.get(pid)
        named.append({"id": pid, "title": found.title if found is not None else ""})
    body = steering_body(plan)
    return {"notice": True, "predecessors_cancelled": named, "decides": body.name if body else None}


def _handed_over(handover: Handover | None, names: Mapping[str, str], plan: Plan) -> dict[str, Any]:
    """An item's hand-over in its template context (none: nothing, so the context of every
    other item stays as it was): the names of the predecessors whose name is known (in the
    plan, or removed from it; a forgotten one is never named: the templates then say "een
    vorige contactpersoon"), the first and the last day they were asked, and the owners the
    recipient now answers for it (``handover_for``, as the reader knows them); after an owner
    change also for whom the predecessors answered (``handover_was``, review55b 7)."""
    if handover is None:
        return {}
    out = {
        "handover": True,
        "handover_from": [names[c] for c in handover.previous if c in names],
        "handover_since": handover.first_asked,
        "handover_last": handover.last_asked,
        "handover_for": plan.owner_names(handover.via),
    }
    if handover.was:
        out["handover_was"] = plan.owner_names(handover.was)
    return out


def _handover_shown(item: dict[str, Any]) -> dict[str, Any]:
    """What a channel shows of a hand-over (Slack builds its blocks from the payload)."""
    if not item.get("handover"):
        return {}
    return {
        "handover": True,
        "handover_from": item["handover_from"],
        "handover_since": item["handover_since"].isoformat(),
        "handover_for": item["handover_for"],
        **({"handover_was": item["handover_was"]} if item.get("handover_was") else {}),
    }


def _latest(
    plan: Plan,
    assessed: ItemAssessment,
    notes: Mapping[int, Recalled],
    recipient: str,
    *,
    office: bool = False,
    quoted: QuotedForecast | None = None,
) -> dict[str, Any]:
    """The latest answer on an item in its template context (none: nothing, so the context
    of an item never answered stays as it was): the day it counts for, the status, its own
    forecast as given (``quoted``, :func:`_quoted`), the note and who gave it
    (:func:`_latest_by`); a standing forecast an earlier update gave, when in force, apart
    with its day (``earlier_forecast``, ``earlier_on``: walk56a 3). An incremental run's
    latest update is the memory's copy, without its note and author: ``notes`` (by update id,
    :func:`latest_update_ids`) has them. A contact's note only when ``recipient`` may read it
    (:func:`regie.note_readers.may_read`; ``office``: the office's copy), else
    ``latest_note_withheld``."""
    update = assessed.latest_update
    if update is None:
        return {}
    note, author = update.comment, update.author
    if note is None and update.id is not None:
        note, recalled = notes.get(update.id, (None, None))
        author = author or recalled
    quoted = quoted or _quoted(None, assessed)
    overdue = assessed.state is State.OVERDUE
    update = replace(update, author=author)
    kind = written_by(plan, update)  # once: may_read and _latest_by both need it (review54b 8)
    # The office's own copy (its contacts, its Slack channel) reads every note.
    withheld = bool(note) and not (office or may_read(plan, update, recipient, kind=kind))
    return {
        "latest_on": update.reported_on,
        "latest_status": update.status.value,
        "latest_forecast": quoted.own,
        # Only then: the context of an item whose latest update gave the forecast stays as it was.
        **(
            {"earlier_forecast": quoted.earlier, "earlier_on": quoted.earlier_on}
            if quoted.earlier is not None
            else {}
        ),
        "latest_note": None if withheld else (note or None),
        # Only then: the context of a message whose reader may read the note stays as it was.
        **({"latest_note_withheld": True} if withheld else {}),
        **_latest_by(plan, update, kind, recipient),
        # Still overdue after it: what is missing is a new date (or "gereed"); with a forecast
        # in force, that forecast has passed (an overdue item has no live one).
        "latest_overdue": overdue,
        "latest_lapsed": overdue and quoted.standing is not None,
    }


def _quoted(
    forecasts: Mapping[str, QuotedForecast] | None, assessed: ItemAssessment
) -> QuotedForecast:
    """The item's forecasts as its latest answer is quoted with (``forecasts``, read by the
    cycle); without them, from the assessment alone: the latest update's own forecast, and
    the standing one without its day (nothing tells whether a decision superseded it)."""
    found = (forecasts or {}).get(assessed.item_id)
    if found is not None:
        return found
    own = assessed.latest_update.forecast if assessed.latest_update is not None else None
    if own is None and assessed.forecast is None:
        return _NO_FORECAST  # most items a day's messages name (the cycle leaves them out)
    return QuotedForecast(own, assessed.forecast)


#: An item quoted without any forecast (frozen: one for all).
_NO_FORECAST = QuotedForecast(None, None)


def _latest_by(plan: Plan, update: StatusUpdate, kind: str, recipient: str) -> dict[str, Any]:
    """Who gave the latest answer, so that a message says "Uw" only to its author and names
    the office or a decision as the source of their own words: ``latest_kind`` (``own``,
    ``contact``, ``office`` or ``decision``) and ``latest_by`` (their name, or the decision's
    words); none when the record does not tell (the templates' older wording then). ``kind``:
    the update's :func:`~governance.answers.written_by`."""
    if kind in ("unknown", "former"):
        return {}
    if kind != "decision" and update.author and plan.person(update.author) == recipient:
        return {"latest_kind": "own"}  # an office contact who owns the item: their own words
    if kind == "office":
        return {"latest_kind": kind, "latest_by": office_names(plan.programme).the}
    if kind == "decision":
        body = plan.body(update.author) if update.author else None
        name = body.name if body is not None else (update.author or "?")
        return {"latest_kind": kind, "latest_by": decided_by(name, update.reported_on)}
    person = plan.contact(update.author or "")
    assert person is not None  # written_by found it
    # The organisation as the owner lines show it (short_name, else name), not its id.
    org = plan.owner_name(person.organisation)
    name = f"{person.name} ({org})" if person.organisation else person.name
    return {"latest_kind": kind, "latest_by": name}


def _latest_shown(item: dict[str, Any]) -> dict[str, Any]:
    """What a channel shows of the latest answer (Slack builds its blocks from the payload)."""
    if "latest_on" not in item:
        return {}
    forecast = item["latest_forecast"]
    return {
        "latest_on": item["latest_on"].isoformat(),
        "latest_status": item["latest_status"],
        "latest_forecast": forecast.isoformat() if forecast else None,
        **(
            {
                "earlier_forecast": item["earlier_forecast"].isoformat(),
                "earlier_on": on.isoformat() if (on := item["earlier_on"]) else None,
            }
            if "earlier_forecast" in item
            else {}
        ),
        "latest_note": item["latest_note"],
        "latest_overdue": item["latest_overdue"],
        "latest_lapsed": item["latest_lapsed"],
        **{k: item[k] for k in ("latest_kind", "latest_by", "latest_note_withheld") if k in item},
    }


def _shown(item: dict[str, Any]) -> dict[str, Any]:
    """What a channel shows per item (Slack builds its blocks from the payload)."""
    due = item["due"]
    return {
        "title": item["title"],
        "gereed": item["gereed"],
        "due": due.isoformat() if due else None,
        "days_overdue": item["days_overdue"],
        "owners": item["owners"],
        "owner_names": item.get("owner_names") or item["owners"],
    }


def escalation_message(
    plan: Plan,
    digest: EscalationDigest,
    assessment: Assessment,
    *,
    contact: Contact | None = None,
    deputy_for: Sequence[str] = (),
    linker: Callable[[str, str, str], str] | None = None,
    notes: Mapping[int, Recalled] | None = None,
    reply_to: bool = True,
    steering_done: bool = False,
    handed: Mapping[str, HandedOver] | None = None,
    former: Mapping[str, str] | None = None,
    forecasts: Mapping[str, QuotedForecast] | None = None,
    elsewhere: OpenElsewhere | None = None,
    owners_open: Mapping[str, OpenElsewhere] | None = None,
) -> OutboxRecord:
    """``deputy_for``: the names of the contacts whose deputy gets this copy (a deputy's own
    variant, with an answer link per item from ``linker`` when it has an e-mail address: a
    deputy may answer for them, :func:`governance.answers.may_answer`). ``steering_done``: the
    steering body has no meeting left, so the text does not suggest putting an item to it.
    ``handed``: the items that changed hands lately (:func:`escalation_handovers`), named with
    the plan's contacts and ``former`` (:func:`digest_message`); ``forecasts``: as there.
    ``elsewhere`` (a deputy's copy): the other open items of the contacts the deputy stands in
    for; ``owners_open`` (the office's): by organisation, the other open items of the
    escalated items' owners (:class:`governance.reminders.EscalationOverview`, fix57f 2); the
    message ends with them (none open: no line)."""
    contact = contact or _contact(plan, digest.contact_id)
    names = {**(former or {}), **{c.id: c.name for c in plan.contacts}} if handed else {}
    links = linker if deputy_for and contact.email else None
    items = []
    for esc in digest.escalations:
        item = assessment.items[esc.item_id]
        items.append(
            {
                "item_id": item.item_id,
                "title": item.title,
                "gereed": item.gereed,
                "due": item.due,
                "state": item.state.value,
                "kind": esc.kind,
                "days_overdue": item.working_days_overdue,
                "owners": list(item.owners),
                "owner_names": plan.owner_names(item.owners),
                # Requests that never reached the owner: not "unanswered" (templates).
                "prompts": esc.prompts,
                "undelivered": esc.undelivered,
                **_changed_hands((handed or {}).get(item.item_id), names),
                # Every note to the office's copy; a deputy's: theirs only (walk54b 2).
                **_latest(
                    plan,
                    item,
                    notes or {},
                    contact.id,
                    office=not deputy_for,
                    quoted=_quoted(forecasts, item),
                ),
                # A deputy's copy: a link per item (None without one); the office's: no key.
                **(
                    {"answer_url": (links(contact.id, item.item_id, digest.key) if links else None)}
                    if deputy_for
                    else {}
                ),
            }
        )
    payload = [
        {
            "id": e.item_id,
            "kind": e.kind,
            "state": x["state"],
            **_shown(x),
            **_undelivered(e),
            **_changed_hands_shown(x),
            **_latest_shown(x),
        }
        for e, x in zip(digest.escalations, items, strict=True)
    ]
    extra: dict[str, Any] = {"deputy_for": list(deputy_for)} if deputy_for else {}
    if steering_done:  # only then: the payload of any other escalation stays as it was
        extra["steering_done"] = True
    # Only then: the context of an escalation with nothing else open stays as it was.
    if deputy_for and elsewhere is not None and elsewhere.open:
        extra.update(others_open=elsewhere.open, others_late=elsewhere.late)
    elif not deputy_for and owners_open:
        orgs = sorted({o for i in items for o in i["owners"]})
        shown = [
            [plan.owner_name(o), n.open, n.late]
            for o in orgs
            if (n := owners_open.get(o)) and n.open
        ]
        if shown:
            extra["owners_open"] = shown
    return _message(
        plan,
        "escalation_digest",
        contact,
        digest.as_of,
        digest.key,
        items,
        payload,
        extra,
        reply_to=reply_to,
    )


def _changed_hands(handed: HandedOver | None, names: Mapping[str, str]) -> dict[str, Any]:
    """An escalated item's recent hand-over in its template context (none: nothing, so the
    context of every other item stays as it was): the day, the new contacts' names and those
    of the contacts asked before whose name is known (a forgotten one is never named: the
    templates then say "een vorige contactpersoon")."""
    if handed is None:
        return {}
    return {
        "handed_on": handed.on,
        "handed_to": [names.get(c, c) for c in handed.to],
        "handed_from": [names[c] for c in handed.previous if c in names],
    }


def _changed_hands_shown(item: dict[str, Any]) -> dict[str, Any]:
    """What a channel shows of an escalated item's hand-over (Slack reads the payload)."""
    if "handed_on" not in item:
        return {}
    return {
        "handed_on": item["handed_on"].isoformat(),
        "handed_to": item["handed_to"],
        "handed_from": item["handed_from"],
    }


def escalation_handovers(
    plan: Plan,
    assessment: Assessment,
    reminders: ReminderPlan,
    history: Iterable[PromptRecord],
    organisations: Mapping[str, str] | None = None,
) -> dict[str, HandedOver]:
    """The day's escalated items that changed hands since their latest update
    (:func:`governance.reminders.handed_over`), from their prompts on record (``history``)
    and the day's. ``organisations``: contact id → organisation of the contacts no longer in
    the plan (archived), so that a hand-over names only the new contact's own predecessors."""
    escalated = {e.item_id for e in reminders.escalations}
    if not escalated:
        return {}
    prompts: dict[str, list[PromptRecord]] = {}
    renamed = any(c.formerly for c in plan.contacts)
    for r in [*history, *reminders.records]:
        if r.item_id in escalated:
            if renamed and plan.person(r.contact_id) != r.contact_id:  # the same person
                r = replace(r, contact_id=plan.person(r.contact_id))
            prompts.setdefault(r.item_id, []).append(r)
    org_of = {**(organisations or {}), **{c.id: c.organisation for c in plan.contacts}}
    out: dict[str, HandedOver] = {}
    for item_id in sorted(escalated):
        item = assessment.items[item_id]
        latest = item.latest_update
        since = latest.reported_on if latest is not None else None
        via = asked_through(plan, item.owners)
        found = handed_over(
            prompts.get(item_id, ()),
            via.keys(),
            since,
            reminders.as_of,
            via=via,
            owners=item.owners,
            org_of=org_of,
        )
        if found is not None:
            out[item_id] = found
    return out


def _undelivered(escalation: Escalation) -> dict[str, int]:
    """What a channel shows of an escalation's undelivered requests (none: nothing, so the
    payload of one whose requests all arrived stays as it was)."""
    if not escalation.undelivered:
        return {}
    return {"prompts": escalation.prompts, "undelivered": escalation.undelivered}


def _message(
    plan: Plan,
    kind: str,
    contact: Contact,
    as_of: date,
    key: str,
    items: list[dict[str, Any]],
    payload_items: list[dict[str, Any]],
    extra: Mapping[str, Any] | None = None,
    *,
    reply_to: bool = True,
) -> OutboxRecord:
    """Render ``<kind>.subject.j2`` and ``<kind>.txt.j2`` into one outbox record. ``extra``:
    more context, also in the payload (Slack's intro reads it). ``reply_to``: a reply by mail
    would reach the office (the mail's Reply-To); only then does the text invite one, and only
    to a contact with an e-mail address (on Slack a reply reaches nobody)."""
    context = {
        "contact": contact,
        "programme": _programme(plan),
        "items": items,
        "as_of": as_of,
        "key": key,
        "steering_body": steering_body(plan),
        # A rerun's second message of the day says it adds to the first.
        "addition": is_addition(key),
        "reply_reaches": reply_to and bool(contact.email),
        **(extra or {}),
    }
    # ``render``: what the templates were given, so the sender can render the message again
    # without the plan file when items are finished before it goes out (regie.recheck).
    payload = {
        "as_of": as_of.isoformat(),
        "programme": plan.programme.short_title or plan.programme.title,
        **office_fields(plan),  # Slack's texts name the office
        "items": payload_items,
        "render": to_json(context),
        **({"addition": True} if context["addition"] else {}),  # Slack's intro reads it
        **(extra or {}),
        # The contact's own channel travels with the message, so routing needs no plan file.
        **({"channel": contact.channel} if contact.channel else {}),
    }
    return rendered_record(kind, contact, key, context, payload, as_of)


def rendered_record(
    kind: str,
    contact: Contact,
    key: str,
    context: Mapping[str, Any],
    payload: dict[str, Any],
    created_on: date,
) -> OutboxRecord:
    """One outbox record to ``contact``: its subject, text and HTML rendered from the templates
    ``<kind>.subject.j2``, ``<kind>.txt.j2`` and ``<kind>.html.j2`` with ``context``; the
    name, address and subject made safe for a mail header."""
    from notifications.render import header_text, render

    return OutboxRecord(
        key=key,
        kind=kind,
        recipient=contact.id,
        recipient_name=header_text(contact.name),
        email=header_text(contact.email) if contact.email else None,
        slack=contact.slack,
        subject=header_text(render(f"{kind}.subject.j2", **context)),
        body_text=render(f"{kind}.txt.j2", **context),
        body_html=render(f"{kind}.html.j2", **context),
        payload=payload,
        created_on=created_on,
    )


def outbox_messages(
    plan: Plan,
    assessment: Assessment,
    reminders: ReminderPlan,
    linker: Callable[[str, str, str], str] | None = None,
    *,
    office_channel: str | None = None,
    taken: Collection[str] = (),
    notes: Mapping[int, Recalled] | None = None,
    reply_to: bool = True,
    steering_done: bool = False,
    former: Mapping[str, str] | None = None,
    handed: Mapping[str, HandedOver] | None = None,
    elsewhere: Mapping[str, OpenElsewhere] | None = None,
    forecasts: Mapping[str, QuotedForecast] | None = None,
    overview: EscalationOverview | None = None,
) -> Iterator[OutboxRecord]:
    """Digests per contact, escalation digests per programme-office contact, copies of the
    escalations for the owners' deputies, and one for the office's Slack channel when set.
    ``taken``: the outbox keys of the day (an earlier run's), which the copies avoid as
    :func:`governance.reminders.with_free_keys` has the digests avoid them. ``reply_to``: the
    mails carry a Reply-To (:meth:`regie.bootstrap.App.mail_reply_to`). ``steering_done``: the
    steering body meets no more (:func:`escalation_message`). ``former``: see
    :func:`digest_message`. ``handed``: the escalated items that changed hands lately
    (:func:`escalation_handovers`). ``elsewhere``: by digest key, the contact's other open
    items (:func:`governance.reminders.open_elsewhere`). ``forecasts``: the named items'
    forecasts as the latest answers quote them (:func:`digest_message`). ``overview``: what
    the escalations' copies end with (:func:`escalation_message`; none: no such line)."""
    owners_open = overview.owners if overview is not None else None
    deputies_open = overview.deputies if overview is not None else {}
    if reminders.digests:
        actions = {a.id: a for a in plan.actions()}
        others = elsewhere or {}
        for digest in reminders.digests:
            yield digest_message(
                plan,
                digest,
                assessment,
                linker,
                actions,
                notes,
                reply_to=reply_to,
                former=former,
                elsewhere=others.get(digest.key),
                forecasts=forecasts,
            )
    for esc in reminders.escalation_digests:
        yield escalation_message(
            plan,
            esc,
            assessment,
            notes=notes,
            reply_to=reply_to,
            steering_done=steering_done,
            handed=handed,
            former=former,
            forecasts=forecasts,
            owners_open=owners_open,
        )
    if not reminders.escalation_digests:
        return
    escalations = {e.key: e for d in reminders.escalation_digests for e in d.escalations}
    as_of = reminders.as_of
    deputies = deputy_copies(plan, assessment, escalations.values())
    for deputy, (items, of, _) in sorted(deputies.items()):
        key = free_key(f"{escalation_digest_key(plan.programme.id, deputy, as_of)}:deputy", taken)
        copy = EscalationDigest(deputy, as_of, tuple(items), key)
        yield escalation_message(
            plan,
            copy,
            assessment,
            deputy_for=of,
            linker=linker,
            notes=notes,
            reply_to=reply_to,
            steering_done=steering_done,
            handed=handed,
            former=former,
            forecasts=forecasts,
            elsewhere=deputies_open.get(deputy),
        )
    if office_channel:
        name = office_names(plan.programme).name
        channel = Contact(id="office-channel", name=name, organisation="", slack=office_channel)
        key = free_key(escalation_digest_key(plan.programme.id, channel.id, as_of), taken)
        office = EscalationDigest(channel.id, as_of, tuple(escalations.values()), key)
        record = escalation_message(
            plan,
            office,
            assessment,
            contact=channel,
            notes=notes,
            steering_done=steering_done,
            handed=handed,
            former=former,
            forecasts=forecasts,
            owners_open=owners_open,
        )
        yield replace(record, payload={**record.payload, "to_channel": True})


def former_contacts(
    plan: Plan, reminders: ReminderPlan, handed: Mapping[str, HandedOver] | None = None
) -> set[str]:
    """The contacts a hand-over of the day names (in a digest, or with an escalated item:
    ``handed``) that are no longer in the plan: whose names the store is asked for
    (``former``)."""
    current = {c.id for c in plan.contacts}
    named = {
        c
        for d in reminders.digests
        for i in d.items
        if i.handover is not None
        for c in i.handover.previous
    }
    named.update(c for h in (handed or {}).values() for c in h.previous)
    return named - current


def named_items(reminders: ReminderPlan) -> set[str]:
    """The items the day's messages name (digests and escalations)."""
    named = {i.item_id for d in reminders.digests for i in d.items}
    named.update(e.item_id for d in reminders.escalation_digests for e in d.escalations)
    return named


def latest_update_ids(assessment: Assessment, reminders: ReminderPlan) -> set[int]:
    """The ids of the latest updates of the items the day's messages name whose note the
    assessment does not hold (an incremental run's memory copy): for ``notes``."""
    ids = set()
    for item_id in named_items(reminders):
        update = assessment.items[item_id].latest_update
        if update is not None and update.id is not None and update.comment is None:
            ids.add(update.id)
    return ids


class DeputyCopy(NamedTuple):
    """A deputy's copy of the day's escalations: the escalations, and the names and ids of the
    contacts the deputy stands in for."""

    items: list[Escalation]
    names: list[str]
    ids: list[str]


def deputy_copies(
    plan: Plan, assessment: Assessment, escalations: Iterable[Escalation]
) -> dict[str, DeputyCopy]:
    """Deputies of the contacts whose items escalate (copied, unless they get it anyway): per
    deputy the escalations and the names of the contacts they stand in for. A deputy who is a
    contact of an owning organisation gets no copy of that item: they were asked about it
    themselves, as every contact of an owner is, and an owner gets no escalation either. An
    office contact answers for its organisation only when it has no other
    (:meth:`Plan.answering_for`): otherwise its deputy stands in for nobody there."""
    office = {c.id for c in plan.contacts if c.programme_office}
    organisation = {c.id: c.organisation for c in plan.contacts}
    out: dict[str, DeputyCopy] = {}
    for e in escalations:
        owners = assessment.items[e.item_id].owners
        answering = {c.id for org in owners for c in plan.answering_for(org)}
        standing_in = [
            c
            for c in plan.contacts
            if c.id in answering
            and c.deputy
            and c.deputy not in office
            and organisation.get(c.deputy) not in owners
        ]
        for deputy in sorted({c.deputy for c in standing_in if c.deputy}):
            items, names, ids = out.setdefault(deputy, DeputyCopy([], [], []))
            items.append(e)
            for c in standing_in:
                if c.deputy == deputy and c.id not in ids:
                    ids.append(c.id)
                    if c.name not in names:
                        names.append(c.name)
    return out


#: Date fields of a render context, as ISO text in the payload.
_DATES = (
    "as_of",
    "due",
    "handover_since",
    "handover_last",
    "handed_on",
    "latest_on",
    "latest_forecast",
    "earlier_forecast",
    "earlier_on",
)


def to_json(context: dict[str, Any]) -> dict[str, Any]:
    """A template context as JSON-safe values (dataclasses as mappings, dates as ISO text)."""
    return {name: _jsonable(value) for name, value in context.items()}


def _jsonable(value: Any) -> Any:
    # A digest at 100k items holds thousands of item contexts: plain values are checked first
    # and dataclasses are walked field by field (``asdict`` deep-copies, then we walked it again).
    if value is None or type(value) in _PLAIN:
        return value
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, dict):
        # Plain values inline: an item context is a dozen of them, thousands of times.
        return {
            str(k): v if v is None or type(v) in _PLAIN else _jsonable(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [v if v is None or type(v) in _PLAIN else _jsonable(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)  # enums, paths …: as the templates print them


_PLAIN = frozenset({str, int, float, bool})


def from_json(data: dict[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`to_json`: a context the templates take again."""
    restored = _dates_from_text(dict(data))
    restored["items"] = [_dates_from_text(dict(i)) for i in data["items"]]
    return restored


def _dates_from_text(values: dict[str, Any]) -> dict[str, Any]:
    for name in _DATES:
        if isinstance(values.get(name), str):
            values[name] = date.fromisoformat(values[name])
    return values
