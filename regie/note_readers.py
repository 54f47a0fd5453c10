"""Who may read an owner's note outside the office's pages: the answer pages and Slack's
modals show the item's latest answer to whoever holds the link or presses the button, the
reminders and escalations (mail and Slack) to each recipient (:mod:`regie.messages`).

One rule with the calendar feeds (:meth:`feeds.scope.Scope.shows_note`; walk54b 2): a note is
read by the contact who wrote it, never by another owning organisation's contacts nor by a
colleague (an organisation is often a group of independent parties); the office reads every
note (on the item pages, behind the login; a contact of the office also here). A decision's
words and the office's own notes are no owner's note: they are written for the owners (every
feed's description and the packs carry a decision; the mails to the owners the office's note).
A note by a contact since removed from the plan is still a person's note: only the office reads
it (:func:`governance.answers.by_former_contact`; the writer is gone).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.answers import Standing
    from governance.plan import Plan
    from governance.updates import StatusUpdate


def reads_note(plan: Plan, reader: str | None, author: str | None) -> bool:
    """Whether contact ``reader`` (None: someone Regie cannot name) may read a note that
    ``author`` wrote: the calendar feeds' rule, as a contact's own feed applies it; and a
    contact of the office, which reads every note (on the item pages)."""
    from feeds.scope import Scope
    from governance.answers import contact

    if reader is None:
        return False
    person = contact(plan, reader)
    return Scope("contact", reader).shows_note(author) or bool(person and person.programme_office)


def standing_for(plan: Plan, latest: StatusUpdate | None, reader: str | None) -> Standing | None:
    """:func:`governance.answers.standing` as contact ``reader`` (None: someone Regie cannot
    name) may read it: another's note left out, :attr:`Standing.note_withheld` set instead."""
    from governance.answers import PERSONS_NOTES, standing, written_by

    state = standing(plan, latest)
    if state is None or state.note is None or latest is None:
        return state
    if written_by(plan, latest) not in PERSONS_NOTES:
        return state  # a decision's words, the office's note: written for the owners
    if reads_note(plan, reader, state.author):
        return state
    return replace(state, note=None, note_withheld=True)
