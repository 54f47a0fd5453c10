"""`regie update redact` and the file notifier's copies (``$REGIE_HOME/outbox/*.eml``): the copy
of a message it scrubs (one not sent, whose file a crashed send or a restore left behind) is
removed, so that its sending writes the scrubbed text; a sent message's file is kept, as
docs/operations.md says; the dry run counts the files and removes none. On both databases."""

from __future__ import annotations

from notifications.base import scoped_key
from notifications.file_outbox import file_name
from regie.bootstrap import App
from tests.integration import test_note_privacy as privacy
from tests.integration.test_note_privacy import NOTE, NOW, PLACEHOLDER, _note, _seed_copies

feed_app = privacy.feed_app  # the fixture: an app on the feeds plan, synced, both databases


def test_redact_removes_the_file_copies_of_the_messages_it_scrubs(feed_app: App) -> None:
    from regie.cycle import send_reminders
    from regie.erasure import redact_update

    update_id = _note(feed_app)
    _seed_copies(feed_app, update_id)  # pending-1 (not sent) and sent-1, both quoting the note
    outbox = feed_app.settings.outbox_dir
    outbox.mkdir(parents=True, exist_ok=True)
    # Written under the key-only names of before names carried the programme: still found.
    pending, sent = outbox / file_name("pending-1"), outbox / file_name("sent-1")
    leftover = pending.with_suffix(".tmp")  # a send that crashed before its rename
    for path in (pending, sent, leftover):
        path.write_text(f"Subject: Ronde\n\nLaatste notitie: {NOTE}\n", encoding="utf-8")
    kept = sent.read_bytes()

    dry = redact_update(feed_app, update_id, NOW, by="pbureau", reason="gezondheid", apply=False)
    assert dry.counts == {"events": 1, "outbox": 1, "outbox_files": 2, "status_updates": 1}
    assert pending.exists() and leftover.exists()  # a dry run removes nothing

    done = redact_update(feed_app, update_id, NOW, by="pbureau", reason="gezondheid", apply=True)
    assert done.counts == dry.counts
    assert not pending.exists() and not leftover.exists()
    assert sent.read_bytes() == kept  # a sent message's copy is not changed
    # Sent now, the message's file holds the placeholder, not the note.
    send_reminders(feed_app)
    written = (outbox / file_name(scoped_key("pending-1", feed_app.programme_id()))).read_text(
        encoding="utf-8"
    )
    assert "Jan is ziek" not in written and PLACEHOLDER.split(":")[0] in written


def test_redact_without_file_copies_counts_none(feed_app: App) -> None:
    from regie.erasure import redact_update

    update_id = _note(feed_app)
    _seed_copies(feed_app, update_id)
    done = redact_update(feed_app, update_id, NOW, by="pbureau", reason="gezondheid", apply=True)
    assert "outbox_files" not in done.counts
