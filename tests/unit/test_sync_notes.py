"""The sync's line when nothing but what has no revision changed: a contact's deputy or channel
(an event), messages withdrawn; and the notes `regie sync` puts after its counts."""

from __future__ import annotations

from store.sync import SyncResult


def test_without_counts_the_line_is_the_notes_alone() -> None:
    result = SyncResult(contacts_rerouted=["bob"], withdrawn={"bob": ["k1"]})
    assert result.changed
    assert result.describe() == (
        "contacts with another deputy or channel: bob; 1 unsent message withdrawn (bob)"
    )
    assert SyncResult(withdrawn={"bob": ["k1"]}).describe() == "1 unsent message withdrawn (bob)"
    assert not SyncResult(unchanged=3).changed


def test_the_notes_follow_the_counts() -> None:
    result = SyncResult(
        created=1, contacts_created=["carol"], contacts_rerouted=["bob"], withdrawn={"bob": ["k"]}
    )
    assert result.notes() == (
        " (contacts created: carol; with another deputy or channel: bob)"
        "; 1 unsent message withdrawn (bob)"
    )
    assert SyncResult(created=2).notes() == ""
