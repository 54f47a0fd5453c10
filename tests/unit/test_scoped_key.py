"""Outbox keys are unique per programme only; outside the database (file name, Message-ID) a
message is named by programme and key (walk28 finding 2). Keys that already named their
programme keep the name they always had, so messages sent before keep theirs."""

from __future__ import annotations

from notifications.base import message_id, scoped_key
from notifications.file_outbox import file_name, file_names


def test_a_key_without_its_programme_gets_it_after_its_kind() -> None:
    assert scoped_key("round:1:anna:request", "wegen") == "round:wegen:1:anna:request"
    assert scoped_key("agenda-pack:stuurgroep:2025-06-12:anna", "wegen") == (
        "agenda-pack:wegen:stuurgroep:2025-06-12:anna"
    )
    assert scoped_key("plain", "wegen") == "wegen:plain"


def test_a_key_that_names_its_programme_keeps_its_name_and_message_id() -> None:
    key = "reminder:wegen:anna:2025-06-02:digest"
    assert scoped_key(key, "wegen") == key
    assert message_id(key, "a@example.org", "wegen") == message_id(key, "a@example.org")
    assert file_names(key, "wegen") == [file_name(key)]


def test_two_programmes_get_two_names_for_one_key() -> None:
    key = "report-due:jaarverslag:2025-12-31:anna"
    assert message_id(key, None, "a") != message_id(key, None, "b")
    assert file_names(key, "a")[0] != file_names(key, "b")[0]
    assert file_names(key, "a")[1] == file_name(key)  # the name written before, still found


def test_only_the_kinds_that_name_their_programme_keep_their_name() -> None:
    # A body whose id is the programme's, a round number equal to a numeric programme id.
    assert scoped_key("agenda-pack:wegen:2025-06-12:anna", "wegen") == (
        "agenda-pack:wegen:wegen:2025-06-12:anna"
    )
    assert scoped_key("round:7:anna:request", "7") == "round:7:7:anna:request"
    key = "escalation:wegen:office:2025-06-02"
    assert scoped_key(key, "wegen") == key
