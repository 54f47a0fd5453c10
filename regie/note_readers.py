"""Who may read an owner's note outside the office's pages: the answer pages and Slack's
modals show the item's latest answer to whoever holds the link or presses the button, the
reminders and escalations (mail and Slack) to each recipient (:mod:`regie.messages`).

The calendar feeds' rule (:meth:`feeds.scope.Scope.shows_note`; walk54b 2), widened by one
reader: a note is read by the contact who wrote it and by the writer's designated deputy; the
contact reads their deputy's note only on an item the deputy answers for standing in for them
(the contact answers for an owning organisation, the deputy for none: review54b 2, review54c
2); never by another owning organisation's contacts nor by a colleague (an organisation is
often a group of independent parties); the office reads every note (on the item pages, behind
the login; a contact of the office also here). A decision's words and the office's own notes
are no owner's note: they are written for the owners (every feed's description and the packs
carry a decision; the mails to the owners the office's note). A note by a contact since removed
from the plan is still a person's note: only the office reads it
(:func:`governance.answers.by_former_contact`; the writer is gone).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from feeds.scope import Scope
from governance.answers import (
    PERSONS_NOTES,
    answers_as_deputy,
    find_item,
    standing,
    written_by,
)

if TYPE_CHECKING:
    from governance.answers import Standing
    from governance.plan import Contact, Plan
    from governance.updates import StatusUpdate


def reads_note(plan: Plan, reader: str | None, author: str | None, item_id: str | None) -> bool:
    """Whether contact ``reader`` (None: someone Regie cannot name) may read a note that
    ``author`` wrote on item ``item_id``: the calendar feeds' rule, as a contact's own feed
    applies it; the writer's designated deputy; the contact the writer stands in for, on an
    item the writer answers as their deputy (:func:`_stands_in`); and a contact of the office,
    which reads every note (on the item pages). Contacts by id (:meth:`Plan.contact`): a dict
    built once per plan."""
    if reader is None:
        return False
    # A renamed contact (``formerly``) is the same person: their notes under the old id are
    # theirs, and a link or feed made out to the old id reads as them.
    reader = plan.person(reader)
    author = plan.person(author) if author else author
    if Scope("contact", reader).shows_note(author):  # both by their current ids
        return True
    person = plan.contact(reader)
    if person is None:
        return False
    if person.programme_office:
        return True
    # Wider than the feeds on purpose: a page, modal or message reaches the one contact it
    # names, and a deputy stands in for the writer (or the writer for them), so needs the note;
    # a feed's URL gets passed on, so Scope.shows_note stays the writer's own.
    writer = plan.contact(author) if author else None
    if writer is None:
        return False
    if writer.deputy == reader:
        return True
    return person.deputy == author and _stands_in(plan, writer, person, item_id)


def _stands_in(plan: Plan, deputy: Contact, principal: Contact, item_id: str | None) -> bool:
    """Whether ``deputy`` answers item ``item_id`` standing in for ``principal``: the
    principal answers for an organisation that owns it, the deputy for none
    (:func:`governance.answers.answers_as_deputy`). Not where the deputy answers as their own
    organisation's contact: that note is theirs, as a colleague's (review54c 2)."""
    item = find_item(plan, item_id) if item_id is not None else None
    if item is None or not answers_as_deputy(deputy, item):
        return False
    return any(c.id == principal.id for org in item.owners for c in plan.answering_for(org))


def may_read(
    plan: Plan, update: StatusUpdate, reader: str | None, *, kind: str | None = None
) -> bool:
    """Whether contact ``reader`` (None: someone Regie cannot name) may read ``update``'s
    note: a decision's words and the office's own notes are written for the owners (a record
    without an author reads as the office's); a person's note follows :func:`reads_note`.
    ``kind``: the update's :func:`~governance.answers.written_by`, when the caller has it. The
    one rule of the answer pages, the modals, the messages and the update sheet."""
    if (kind if kind is not None else written_by(plan, update)) not in PERSONS_NOTES:
        return True
    return reads_note(plan, reader, update.author, update.item_id)


def standing_for(plan: Plan, latest: StatusUpdate | None, reader: str | None) -> Standing | None:
    """:func:`governance.answers.standing` as contact ``reader`` (None: someone Regie cannot
    name) may read it (:func:`may_read`): another's note left out,
    :attr:`Standing.note_withheld` set instead."""
    state = standing(plan, latest)
    if state is None or state.note is None or latest is None:
        return state
    if may_read(plan, latest, reader):
        return state
    return replace(state, note=None, note_withheld=True)
