"""E-mail delivery against a real SMTP server (aiosmtpd): what arrives, over how many
connections, and how failures read."""

from __future__ import annotations

from pathlib import Path

import pytest

from notifications.base import ChannelDown, Message, NotifierError, Unreachable, batch, message_id
from notifications.email import EmailNotifier
from tests.fakes.smtp import SmtpServer, free_port, tls_contexts

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


def _message(n: int = 1, **kw: object) -> Message:
    values: dict[str, object] = {
        "key": f"reminder:c{n}:2015-10-01:digest",
        "kind": "reminder_digest",
        "recipient": f"c{n}",
        "recipient_name": f"Contact Één {n}",
        "subject": "[MVI] Verzoek om update: 1 punt",
        "text": "Beste Contact,\n\n- 1.1.1 Inventarisatie\n",
        "html": "<p>Beste <b>Contact</b> &amp; co</p>",
        "email": f"c{n}@example.org",
    }
    values.update(kw)
    return Message(**values)  # type: ignore[arg-type]


def _notifier(smtp: SmtpServer, **kw: object) -> EmailNotifier:
    values: dict[str, object] = {
        "mail_from": "Programmabureau MVI <regie@mvi.example.nl>",
        "security": "none",
        "reply_to": "programmabureau@mvi.example.nl",
        "timeout": 10,
    }
    values.update(kw)
    return EmailNotifier("127.0.0.1", smtp.port, **values)  # type: ignore[arg-type]


def test_a_batch_uses_one_connection_and_mails_carry_text_html_and_stable_headers() -> None:
    with SmtpServer() as smtp:
        notifier = _notifier(smtp)
        with batch(notifier):
            deliveries = [notifier.send(_message(n)) for n in range(1, 6)]
        assert notifier.connections == 1 and smtp.sessions == 1
        mails = smtp.mails()
    assert len(mails) == 5
    mail = mails[0]
    assert deliveries[0].external_id == mail["Message-ID"]
    assert mail["Message-ID"] == message_id(_message(1).key, "regie@mvi.example.nl")
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["From"] == "Programmabureau MVI <regie@mvi.example.nl>"
    assert mail["Reply-To"] == "programmabureau@mvi.example.nl"
    assert mail["To"] == '"Contact Één 1" <c1@example.org>' or "Contact Één 1" in mail["To"]
    assert mail["Date"] and mail["X-Regie-Key"] == _message(1).key
    assert mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert text is not None and html is not None
    assert "1.1.1 Inventarisatie" in text.get_content()
    assert "<b>Contact</b> &amp; co" in html.get_content()
    assert smtp.received[0].recipients == ["c1@example.org"]


def test_without_a_batch_each_message_opens_and_closes_its_own_connection() -> None:
    with SmtpServer() as smtp:
        notifier = _notifier(smtp)
        notifier.send(_message(1))
        notifier.send(_message(2))
        assert notifier.connections == 2 and len(smtp.received) == 2


def test_starttls_and_login(tmp_path: Path) -> None:
    server_tls, client_tls = tls_contexts(tmp_path)
    with SmtpServer(login=("regie", "geheim"), tls_context=server_tls) as smtp:
        notifier = _notifier(
            smtp, security="starttls", user="regie", password="geheim", ssl_context=client_tls
        )
        notifier.send(_message())
        assert len(smtp.received) == 1


def test_a_wrong_tls_mode_says_to_check_the_security_setting_not_reachable(
    tmp_path: Path,
) -> None:
    """walk31 13: ``ssl`` against a server that starts in plain text is reached, but speaks no
    TLS: the line names REGIE_SMTP_SECURITY (as the starttls case does), not an outage."""
    _, client_tls = tls_contexts(tmp_path)
    with SmtpServer() as smtp:
        notifier = _notifier(smtp, security="ssl", ssl_context=client_tls)
        with pytest.raises(ChannelDown) as caught:
            notifier.send(_message())
        assert smtp.received == []
    line = str(caught.value)
    assert line.startswith(f"mail server 127.0.0.1:{smtp.port}: TLS failed (ssl): SSLError")
    assert "check REGIE_SMTP_SECURITY" in line and "not reachable" not in line


def test_an_untrusted_certificate_is_said_as_such(tmp_path: Path) -> None:
    """A certificate the client does not trust (here: the default trust store, not the test
    CA) is a TLS problem of its own, not the security mode."""
    import ssl

    server_tls, _ = tls_contexts(tmp_path)
    with SmtpServer(tls_context=server_tls) as smtp:
        notifier = _notifier(smtp, security="starttls", ssl_context=ssl.create_default_context())
        with pytest.raises(ChannelDown) as caught:
            notifier.send(_message())
    line = str(caught.value)
    assert line.startswith(f"mail server 127.0.0.1:{smtp.port}: its certificate is not trusted")
    assert "REGIE_SMTP_SECURITY" not in line


def test_a_refused_login_stops_the_batch_without_the_password(tmp_path: Path) -> None:
    server_tls, client_tls = tls_contexts(tmp_path)
    with SmtpServer(login=("regie", "geheim"), tls_context=server_tls) as smtp:
        notifier = _notifier(
            smtp,
            security="starttls",
            user="regie",
            password="fout-wachtwoord",
            ssl_context=client_tls,
        )
        with pytest.raises(ChannelDown) as caught:
            notifier.send(_message())
    line = str(caught.value)
    assert "refused the login of 'regie'" in line and "REGIE_SMTP_PASSWORD" in line
    assert "fout-wachtwoord" not in line and "\n" not in line
    assert "fout-wachtwoord" not in repr(notifier)


def test_no_server_is_channel_down_and_no_address_is_unreachable() -> None:
    notifier = EmailNotifier("127.0.0.1", free_port(), mail_from="r@example.org", security="none")
    with pytest.raises(ChannelDown, match=r"^mail server 127\.0\.0\.1:\d+ not reachable: "):
        notifier.send(_message())
    with pytest.raises(Unreachable, match="geen e-mailadres"):
        notifier.send(_message(email=None))
    assert not notifier.can_reach(_message(email=None))


def test_a_refused_or_malformed_recipient_fails_that_message_only() -> None:
    with SmtpServer(refuse={"c1@example.org"}) as smtp:
        notifier = _notifier(smtp)
        with batch(notifier):
            with pytest.raises(NotifierError, match=r"refused by the mail server: c1@example\.org"):
                notifier.send(_message(1))
            with pytest.raises(NotifierError, match="not a valid e-mail address"):
                notifier.send(_message(3, email="bad address@"))
            notifier.send(_message(2))
        assert [r.recipients for r in smtp.received] == [["c2@example.org"]]
        assert notifier.connections == 1
