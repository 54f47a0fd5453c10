"""fix58a: a renamed contact id (``formerly`` on a contact) is the same person. Bert's id goes
from ``bert`` to ``bert-b`` in the middle of a silence on 1.2 (due 3 December). Before the fix
his next digest was a hand-over from himself (*Aan u overgedragen … in plaats van Bert Bond*),
his own note was withheld from him (*alleen zichtbaar voor de schrijver*), the unanswered
escalation came five working days late (16 December: his clock started again), his calendar
token ended (``contact left``), the digest waiting for ``bert`` was withdrawn at the sync and
the answer link sent to ``bert`` was refused (*departed*). SQLite and PostgreSQL."""

from __future__ import annotations

import email
import json
import re
from datetime import UTC, datetime
from pathlib import Path

from regie.answer_links import check_link
from regie.feed_serve import serve_token_feed
from regie.feeds import create_token, list_tokens
from store import Repository
from tests.cli_in_process import regie
from tests.integration.server import TEST_SECRET_KEY
from tests.integration.test_programme_end import _app, _env

LINK = re.compile(r"/antwoord/([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{16,64})")
NOTE = "Mijn eigen notitie"


def _text(path: Path) -> str:
    mail = email.message_from_bytes(path.read_bytes())
    for part in mail.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode("utf-8")
    raise AssertionError(path)


def _run(env: dict[str, str], *args: str) -> None:
    ran = regie(*args, env=env)
    assert ran.code == 0, (args, ran.err)


def test_a_renamed_contact_keeps_their_history(tmp_path: Path, migrated_url: str) -> None:
    env = _env(tmp_path, migrated_url)
    env.update(REGIE_SECRET_KEY=TEST_SECRET_KEY, REGIE_BASE_URL="https://regie.example.nl")
    plan = Path(env["REGIE_PLAN"])
    # Escalation for unanswered prompts first (not 5 working days overdue): bert's silence.
    plan.write_text(
        plan.read_text("utf-8").replace(
            "escalate_after_overdue_days: 5", "escalate_after_overdue_days: 20"
        ),
        "utf-8",
    )
    _run(env, "cycle", "--as-of", "2025-11-20")
    _run(env, "update", "1.2", "-s", "on_track", "--comment", NOTE, "--author", "bert",
         "--as-of", "2025-11-24")  # fmt: skip
    for day in ("11-24", "11-28", "12-01", "12-02", "12-03", "12-04", "12-05"):
        _run(env, "cycle", "--as-of", f"2025-{day}")
    app = _app(env)
    feed = create_token(app, "contact:bert", None, datetime(2025, 12, 5, 9, tzinfo=UTC))
    _run(env, "cycle", "--as-of", "2025-12-08", "--no-send")  # a digest to bert waits

    plan.write_text(
        plan.read_text("utf-8").replace("{id: bert,", "{id: bert-b, formerly: [bert],"),
        "utf-8",
    )
    _run(env, "sync")
    app = _app(env)
    with app.session() as session:
        waiting = [
            r
            for r in Repository(session, app.programme_id()).outbox()
            if r.recipient == "bert" and r.key.endswith("2025-12-08:digest")
        ]
    assert [r.status for r in waiting] == ["pending"]  # not withdrawn: it is still his

    for day in ("12-09", "12-10", "12-11", "12-12", "12-15", "12-16", "12-17", "12-18"):
        _run(env, "cycle", "--as-of", f"2025-{day}")
    outbox = Path(env["REGIE_HOME"]) / "outbox"
    sent = sorted(p.name for p in outbox.glob("*.eml"))
    (waited,) = outbox.glob("reminder_eindtest_bert_2025-12-08_*.eml")
    digests = sorted(outbox.glob("reminder_eindtest_bert-b_*.eml"))
    assert [p.name.split("_")[3] for p in digests] == ["2025-12-11"], sent
    for path in (waited, *digests):
        body = " ".join(_text(path).split())
        assert "overgedragen" not in body, body  # no hand-over from himself
        assert "alleen zichtbaar voor de schrijver" not in body, body
        assert NOTE in body and "Uw laatste update" in body, body
    # His silence counted on: the unanswered escalation on 11 December, as without a rename.
    escalations = [p.name[27:37] for p in outbox.glob("escalation_eindtest_office_*")]
    assert sorted(escalations) == ["2025-11-28", "2025-12-11"], sent
    (escalated,) = outbox.glob("escalation_eindtest_office_2025-12-11-*.eml")
    assert "overgedragen" not in _text(escalated)

    # His calendar token follows him, with his own note; his link from before the rename opens.
    assert [t["status"] for t in list_tokens(app)] == ["active"]
    served = serve_token_feed(app, feed.token, None, datetime(2025, 12, 18, 9, tzinfo=UTC))
    assert served is not None and served.status == 200
    ics = served.body.decode("utf-8").replace("\r\n ", "")
    assert "beëindigd" not in ics and NOTE in ics, ics
    token = next(f"{m[0]}.{m[1]}" for m in LINK.findall(_text(waited)))
    opened = check_link(app, app.load_plan(), token, datetime(2025, 12, 10, 9, tzinfo=UTC))
    assert (opened.contact_id, opened.contact_name) == ("bert-b", "Bert Bond")

    # His data under both ids (an access request, review58 1): exported as one person's; his
    # old id cannot be forgotten while he is in the plan under the new one.
    exported = regie("contact", "export", "bert-b", env=env)
    assert exported.code == 0, exported.err
    data = json.loads(exported.out)
    assert (data["contact"], data["ids"]) == ("bert-b", ["bert-b", "bert"])
    recipients = {m["recipient"] for m in data["outbox"]}
    assert recipients == {"bert", "bert-b"}, recipients
    assert [u["comment"] for u in data["status_updates"]] == [NOTE]
    by_old = json.loads(regie("contact", "export", "bert", env=env).out)
    assert by_old["ids"] == ["bert-b", "bert"] and len(by_old["outbox"]) == len(data["outbox"])
    refused = regie("contact", "forget", "bert", "--yes", env=env)
    assert refused.code == 2
    assert "bert: still a contact in the plan (now bert-b: its 'formerly')" in refused.err

    # The office's follow-up names him once, by his current id (review58 5).
    chased = json.loads(
        regie("follow-up", "--as-of", "2025-12-18", "--format", "json", env=env).out
    )
    asked = {c for row in chased["items"] for c in row["contacts"]}
    assert "bert" not in asked and "bert-b" in asked, chased["items"]
