"""The command line's counts: one step, two steps (walk56c 7: "1 steps", "1 milestones");
a dry run's sync line in the conditional (walk56c 4)."""

from __future__ import annotations

from governance.counts import count
from store.sync import SyncResult


def test_one_is_singular_every_other_count_plural() -> None:
    assert [count(n, "step") for n in (0, 1, 2)] == ["0 steps", "1 step", "2 steps"]
    assert count(1, "summary", "summaries") == "1 summary"
    assert count(3, "summary", "summaries") == "3 summaries"


def test_a_dry_run_s_sync_line_says_what_it_would_do() -> None:
    result = SyncResult(created=10, changed_count=1, contacts_created=["carol"],
                        contacts_archived=["alice"], withdrawn={"alice": ["k1", "k2"]})  # fmt: skip
    assert result.describe() == (
        "10 created, 1 changed (contacts created: carol; archived: alice); "
        "2 unsent messages withdrawn (alice)"
    )
    assert result.describe(would=True) == (
        "would create 10, change 1 (contacts to be created: carol; to be archived: alice); "
        "2 unsent messages to be withdrawn (alice)"
    )
    quiet = SyncResult(contacts_rerouted=["bob"], cancelled=["1.2"])
    assert quiet.describe(would=True) == (
        "contacts with another deputy or channel: bob; "
        "to be cancelled as the plan file says (cancelled_by): 1.2"
    )
    assert SyncResult().describe(would=True) == "in sync"
