"""A note by a contact since removed from the plan (fix54f's note): still a person's note, so
only the office reads it (the writer is gone), on the answer pages and in Slack's modals
(:func:`regie.note_readers.standing_for`) and in the reminders and escalations. The office's
own notes, a record without an author and a report's delivery (its maker is the office's
operator) still reach every owner."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from governance.planfile.load import load_plan
from governance.updates import StatusUpdate, UpdateStatus
from regie.note_readers import standing_for
from tests.unit.test_note_readers_messages import NOTE, _messages, _reads

PLAN = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "answers.yaml"


def _update(author: str | None, source: str = "") -> StatusUpdate:
    """2.1 (PROV and GEM), answered in March; a day overdue on 1 April."""
    return StatusUpdate(
        "2.1", UpdateStatus.ON_TRACK, date(2026, 3, 2), forecast=date(2026, 3, 20),
        comment=NOTE, author=author, source=source,
    )  # fmt: skip


def test_no_owner_reads_a_removed_contact_s_note_the_office_does() -> None:
    """``xena`` answered 2.1 and has since been taken out of the plan."""
    plan = load_plan(PLAN)
    for reader in ("anna", "bram", "carla", None):
        shown = standing_for(plan, _update("xena"), reader)
        assert shown is not None and shown.note is None and shown.note_withheld, reader
    office = standing_for(plan, _update("xena"), "office")
    assert office is not None and office.note == NOTE and not office.note_withheld
    messages = _messages(_update("xena"), date(2026, 4, 1))
    for contact in ("anna", "bram", "carla"):
        assert not _reads(messages[f"{contact}:2026-04-01:digest"]), contact


def test_the_office_s_words_and_a_record_without_an_author_still_reach_every_owner() -> None:
    plan = load_plan(PLAN)
    for author, source in (("programmabureau", ""), (None, ""), ("jdevries", "report")):
        shown = standing_for(plan, _update(author, source), "bram")
        assert shown is not None and shown.note == NOTE, author
        messages = _messages(_update(author, source), date(2026, 4, 1))
        assert _reads(messages["bram:2026-04-01:digest"]), author
