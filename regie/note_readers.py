"""Who may read an owner's note outside the office's pages: the answer pages and Slack's
modals show the item's latest answer to whoever holds the link or presses the button, the
reminders and escalations (mail and Slack) to each recipient (:mod:`regie.messages`).

The calendar feeds' rule (:meth:`feeds.scope.Scope.shows_note`; walk54b 2), widened by one
reader: a note is read by the contact who wrote it and by the writer's designated deputy, both
ways (the deputy reads the contact's note, the contact their deputy's: review54b 2); never by
another owning organisation's contacts nor by a colleague (an organisation is often a group of
independent parties); the office reads every note (on the item pages, behind the login; a
contact of the office also here). A decision's
words and the office's own notes are no owner's note: they are written for the owners (every
feed's description and the packs carry a decision; the mails to the owners the office's note).
A note by a contact since removed from the plan is still a person's note: only the office reads
it (:func:`governance.answers.by_former_contact`; the writer is gone).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from feeds.scope import Scope
from governance.answers import PERSONS_NOTES, standing, written_by

if TYPE_CHECKING:
    from governance.answers import Standing
    from governance.plan import Plan
    from governance.updates import StatusUpdate


def reads_note(plan: Plan, reader: str | None, author: str | None) -> bool:
    """Whether contact ``reader`` (None: someone Regie cannot name) may read a note that
    ``author`` wrote: the calendar feeds' rule, as a contact's own feed applies it; the
    writer's designated deputy, both ways; and a contact of the office, which reads every note
    (on the item pages). Contacts by id (:meth:`Plan.contact`): a dict built once per plan."""
    if reader is None:
        return False
    if Scope("contact", reader).shows_note(author):
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
    return writer is not None and (writer.deputy == reader or person.deputy == author)


def standing_for(plan: Plan, latest: StatusUpdate | None, reader: str | None) -> Standing | None:
    """:func:`governance.answers.standing` as contact ``reader`` (None: someone Regie cannot
    name) may read it: another's note left out, :attr:`Standing.note_withheld` set instead."""
    state = standing(plan, latest)
    if state is None or state.note is None or latest is None:
        return state
    if written_by(plan, latest) not in PERSONS_NOTES:
        return state  # a decision's words, the office's note: written for the owners
    if reads_note(plan, reader, state.author):
        return state
    return replace(state, note=None, note_withheld=True)
