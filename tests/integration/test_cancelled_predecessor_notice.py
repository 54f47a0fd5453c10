"""fix57f 1: a dependent item's predecessor cancelled. Its owner is told once, in the next day's
digest (mail and Slack), which predecessor was dropped and that the item has no date now (the
steering body sets one or lets it lapse); ``regie status`` names it under the table. Before,
the owner heard nothing and the status table said only *geen datum*. SQLite and PostgreSQL."""

from __future__ import annotations

import email
import json
from pathlib import Path

from notifications.slack_blocks import digest_blocks
from regie.mapping import message_from_outbox
from store import Repository
from tests.cli_in_process import regie
from tests.integration.test_programme_end import _app, _env

TOLD = (
    "Let op: voorganger 1.1 („Pakket vaststellen”) is vervallen. Daardoor is de datum van dit "
    "punt niet meer af te leiden: Stuurgroep Eindtest stelt een nieuwe datum vast of laat het "
    "punt vervallen. Tot dan krijgt u over dit punt geen herinneringen."
)


def _text(path: Path) -> tuple[str, str]:
    mail = email.message_from_bytes(path.read_bytes())
    for part in mail.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return str(mail["Subject"]), payload.decode("utf-8")
    raise AssertionError(path)


def test_the_owner_is_told_once_and_status_names_it(tmp_path: Path, migrated_url: str) -> None:
    env = _env(tmp_path, migrated_url)
    for args in (
        ("cycle", "--as-of", "2025-10-31"),
        ("update", "1.1", "-s", "cancelled", "--comment", "Geschrapt", "--as-of", "2025-11-03"),
        ("cycle", "--as-of", "2025-11-03"),
        ("cycle", "--as-of", "2025-11-04"),
        ("cycle", "--as-of", "2025-11-05"),
    ):
        ran = regie(*args, env=env)
        assert ran.code == 0, ran.err
    outbox = Path(env["REGIE_HOME"]) / "outbox"
    told = [p for p in outbox.glob("reminder_*bert*.eml") if TOLD in _text(p)[1].replace("\n", " ")]
    assert len(told) == 1, sorted(p.name for p in outbox.glob("*.eml"))
    subject, body = _text(told[0])
    assert subject == "[Eindtest Programma] Voorganger vervallen: 1 punt"
    assert "is er nieuws over het volgende punt" in body and "U hoeft nu niets te doen." in body
    assert "Geef per punt aan" not in body  # nothing asked of a notice alone
    app = _app(env)
    with app.session() as session:
        rows = [
            r
            for r in Repository(session, app.programme_id()).outbox()
            if r.kind == "reminder_digest" and r.recipient == "bert"
        ]
    (row,) = [r for r in rows if r.payload["items"][0]["id"] == "1.3"]
    assert row.payload["items"][0]["stage"] == "predecessor-cancelled@1.1"
    slack = json.dumps(digest_blocks(message_from_outbox(row)), ensure_ascii=False)
    assert "voorganger 1.1 („Pakket vaststellen”) is vervallen" in slack, slack
    status = regie("status", "--as-of", "2025-11-05", env=env)
    assert status.code == 0, status.err
    assert (
        "? no date, predecessor cancelled: 1.3 (1.1) (a date to set by decision, or the item "
        "to let lapse)"
    ) in status.out
    item = regie("status", "1.3", "--as-of", "2025-11-05", env=env)
    assert "? no date, predecessor cancelled: 1.3 (1.1)" in item.out


def test_a_status_round_the_same_day_does_not_swallow_the_notice(
    tmp_path: Path, migrated_url: str
) -> None:
    """The round started that day asks bert about 1.3 too; a reminder it asks is left out
    (walk30 7), but the notice is news the request does not carry: it goes out."""
    env = _env(tmp_path, migrated_url)
    for args in (
        ("sync",),
        ("update", "1.1", "-s", "cancelled", "--comment", "Geschrapt", "--as-of", "2025-10-30"),
        ("cycle", "--as-of", "2025-10-30"),
    ):
        ran = regie(*args, env=env)
        assert ran.code == 0, ran.err
    outbox = Path(env["REGIE_HOME"]) / "outbox"
    asked = [p for p in outbox.glob("round_*bert*.eml") if "1.3 Campagne" in _text(p)[1]]
    assert asked  # the round asks 1.3 the same day
    told = [p for p in outbox.glob("reminder_*bert*.eml") if TOLD in _text(p)[1].replace("\n", " ")]
    assert len(told) == 1, sorted(p.name for p in outbox.glob("*.eml"))
