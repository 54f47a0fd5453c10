"""Two programmes in one database (review mailrep, leftovers): a bounce is recorded for the
programme whose message it returns, also when both programmes sent a message with the same
key to a contact with the same address. A real SMTP server (aiosmtpd), SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from store import Repository
from store.models_delivery import MailBounceRow
from store.records import OutboxRecord
from tests.cli_in_process import regie
from tests.fakes.smtp import SmtpServer
from tests.integration.mail_setup import mail_env
from tests.integration.test_mail_bounces import DAY, GONE, ROOT, _bouncing, dsn

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")

SECOND = ROOT / "tests" / "fixtures" / "plans" / "second_programme.yaml"
B_FROM = "Programmabureau DigiToegang <digitoegang@toegang.example.org>"
B_CONTACTS = f"""\
contacts:
  - id: office
    name: Programmabureau DigiToegang
    organisation: BZK
    email: office@example.org
    programme_office: true
  - id: telos
    name: T. Elos
    organisation: Logius
    email: {GONE}
"""


def _second_programme(tmp_path: Path, url: str, relay: SmtpServer) -> dict[str, str]:
    """Programme B's home: its own plan and sender, a contact ``telos`` at the same address."""
    home = tmp_path / "b"
    home.mkdir()
    plan = home / "plan.yaml"
    text = SECOND.read_text(encoding="utf-8")
    line = "  id: digitoegang-2024\n"
    plan.write_text(text.replace(line, f"{line}  mail_from: '{B_FROM}'\n", 1), encoding="utf-8")
    (home / "contacts.yaml").write_text(B_CONTACTS, encoding="utf-8")
    return mail_env(home, url, relay, REGIE_PLAN=str(plan))


def _send_as_b(app: App, key: str) -> None:
    """B's message to its telos under the key A used (keys are unique per programme only)."""
    record = OutboxRecord(
        key=key, kind="reminder_digest", recipient="telos", recipient_name="T. Elos",
        email=GONE, slack=None, subject="[DigiToegang] Verzoek om update",
        body_text="Beste T. Elos,\n", body_html=None, payload={"items": []},
        created_on=DAY,
    )  # fmt: skip
    with app.session() as session, session.begin():
        Repository(session, app.programme_id()).enqueue([record])
    assert send_reminders(app, keys=[key]).sent == [key]


def _bounces(app: App) -> list[tuple[str, str, str]]:
    b = MailBounceRow
    with app.session() as session:
        rows = session.execute(sa.select(b.programme_id, b.recipient, b.email).order_by(b.id))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_a_bounce_of_another_programme_s_message_never_marks_this_one_s_contact(
    tmp_path: Path, migrated_url: str
) -> None:
    with SmtpServer() as relay:
        env_a = mail_env(tmp_path, migrated_url, relay)
        app_a = bootstrap(load_settings(env_a))
        deadline_check(app_a, DAY)
        key = next(k for k in send_reminders(app_a).sent if ":telos:" in k)
        env_b = _second_programme(tmp_path, migrated_url, relay)
        assert regie("sync", "--add-programme", env=env_b).code == 0  # one database, on purpose
        app_b = bootstrap(load_settings(env_b))
        assert app_b.programme_id() != app_a.programme_id()
        relay.received.clear()
        _send_as_b(app_b, key)
        [to_b] = relay.mails()
        assert to_b["X-Regie-Key"] == key and "@toegang.example.org>" in str(to_b["Message-ID"])
    (tmp_path / "b.eml").write_bytes(dsn(to_b))

    # A's run reads B's bounce: the same key, the same address, but B's message.
    as_a = regie("mail", "bounces", str(tmp_path / "b.eml"), env=env_a)
    assert as_a.code == 0, as_a.err
    assert "0 bounces recorded" in as_a.out and "programme digitoegang-2024" in as_a.out
    assert _bouncing(app_a) == set() and _bounces(app_a) == []

    # B's own run records it for B: B's telos bounces, A's telos (same address) does not.
    as_b = regie("mail", "bounces", str(tmp_path / "b.eml"), env=env_b)
    assert as_b.code == 0, as_b.err
    assert f"bounce: telos <{GONE}>" in as_b.out
    assert _bouncing(app_b) == {"telos"}
    assert _bouncing(app_a) == set()
    assert _bounces(app_a) == [("digitoegang-2024", "telos", GONE)]
    doctor = regie("doctor", env=env_a)
    assert GONE not in next(x for x in doctor.out.splitlines() if " mail: " in x)
