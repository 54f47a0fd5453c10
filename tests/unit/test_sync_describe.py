"""The sync's one line names the contacts it created and archived, briefly."""

from __future__ import annotations

from store.sync import SyncResult


def test_contacts_created_and_archived_are_named() -> None:
    result = SyncResult(
        created=1, archived=2, contacts_created=["carol"], contacts_archived=["alice", "bob"]
    )
    assert result.describe() == (
        "1 created, 2 archived (contacts created: carol; archived: alice, bob)"
    )
    only_archived = SyncResult(archived=1, contacts_archived=["alice"])
    assert only_archived.describe() == "1 archived (contacts archived: alice)"


def test_many_are_cut_short_and_withdrawn_messages_counted() -> None:
    ids = [f"c{n}" for n in range(8)]
    result = SyncResult(
        created=8, contacts_created=ids, withdrawn={"alice": ["k1", "k2"], "bob": ["k3"]}
    )
    assert result.describe() == (
        "8 created (contacts created: c0, c1, c2, c3, c4 +3 more); "
        "3 unsent messages withdrawn (alice, bob)"
    )


def test_other_entities_are_counted_only() -> None:
    assert SyncResult(created=3, changed_count=1).describe() == "3 created, 1 changed"
    assert SyncResult().describe() == "in sync"
