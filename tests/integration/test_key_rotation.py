"""Rotating REGIE_SECRET_KEY with a grace period (walk31, finding 3): while the old key is
REGIE_SECRET_KEY_PREVIOUS, links, answer forms and correction links signed with it are
accepted; a message queued before the rotation goes out with links signed with the new key;
nothing new is ever signed with the old key; once it is removed, what it signed is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from starlette.requests import Request
from starlette.testclient import TestClient

from governance.answers import AnswerInput, Refusal
from regie.answer_links import (
    LinkRefused,
    answer_by_link,
    check_link,
    csrf_token,
    link_mac,
    open_correction,
)
from regie.bootstrap import App
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from regie.errors import InvalidInput
from store import Repository
from store.answers import link
from tests.integration.link_setup import FIRST_DAY, LINK, delivered_text, link_app, queue_and_send
from tests.integration.server import TEST_SECRET_KEY
from web import security
from web.app import create_app

OLD = TEST_SECRET_KEY
NEW = "Pq7rS2tU9vW4xY1zA6bC3dE8fG5hJ0kL-mN_oQ"


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return link_app(migrated_url, tmp_path)  # signs with OLD


def keyed(app: App, current: str, previous: str | None) -> App:
    return replace(
        app, settings=replace(app.settings, secret_key=current, previous_secret_key=previous)
    )


def client(app: App) -> TestClient:
    return TestClient(create_app(app), raise_server_exceptions=True)


def csrf(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def signed_with(app: App, url_token: str) -> set[str]:
    """Which of OLD and NEW the link's MAC is made with."""
    token, _, mac = url_token.partition(".")
    with app.session() as session:
        found = link(session, token)
    assert found is not None
    bound = (found.programme_id, found.contact_id, found.item_id, found.outbox_key)
    return {
        name for name, key in (("old", OLD), ("new", NEW)) if link_mac(key, token, *bound) == mac
    }


def test_a_link_signed_with_the_old_key_works_while_it_is_the_previous_key(app: App) -> None:
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]  # sent under OLD
    old_form = csrf(client(app).get(f"/antwoord/{token}").text)  # opened before the rotation
    plan = app.load_plan()
    now = datetime.now(UTC)
    rotated = keyed(app, NEW, OLD)
    removed = keyed(app, NEW, None)

    with pytest.raises(LinkRefused) as dead:  # without a grace period: dead at once
        check_link(removed, plan, token, now)
    assert dead.value.reason is Refusal.LINK_TAMPERED
    view = check_link(rotated, plan, token, now)
    assert view.csrf == csrf_token(NEW, token.partition(".")[0])  # its form: the new key's
    page = client(rotated).get(f"/antwoord/{token}")
    assert page.status_code == 200 and csrf(page.text) == view.csrf

    # The form opened before the rotation is still accepted.
    done = client(rotated).post(
        f"/antwoord/{token}",
        data={"status": "at_risk", "note": "Wacht op de aanbesteding", "csrf_token": old_form},
    )
    assert done.status_code == 200, done.text
    with app.session() as session:
        assert [u.status.value for u in Repository(session, "wegen-test").status_updates()] == [
            "at_risk"
        ]
    # Its correction link ("Wijzigen") on the 409 page of the used link: signed with the new key.
    again = open_correction(rotated, plan, token, now)
    assert again is not None and signed_with(app, again) == {"new"}
    assert check_link(removed, plan, again, now).correction  # works after the grace period

    # The previous key removed: the link sent before the rotation is refused, also its page.
    assert client(removed).get(f"/antwoord/{token}").status_code == 404
    assert open_correction(removed, plan, token, now) is None


def test_a_message_queued_before_the_rotation_is_sent_signed_with_the_new_key(
    app: App,
) -> None:
    queued = deadline_check(app, FIRST_DAY).queued  # under OLD, not sent yet
    rotated = keyed(app, NEW, OLD)
    report = send_reminders(rotated)
    assert sorted(report.sent) == sorted(queued) and report.failed == []
    with app.session() as session:
        (message,) = [
            m for m in Repository(session, "wegen-test").outbox() if m.recipient == "anna"
        ]
    tokens = [m[1] for m in LINK.findall(delivered_text(app, message.key))]
    assert tokens
    plan = app.load_plan()
    now = datetime.now(UTC)
    for token in tokens:
        assert signed_with(app, token) == {"new"}  # never a new link signed with the old key
        check_link(rotated, plan, token, now)
        check_link(keyed(app, NEW, None), plan, token, now)  # and after the grace period
    # A link answered under the new key gets a correction link signed with it only.
    view = check_link(rotated, plan, tokens[0], now)
    recorded = answer_by_link(rotated, plan, tokens[0], view.csrf,
                              AnswerInput(view.item.item_id, "at_risk", note="Wacht"), now=now,
                              as_of=date.today(), checked=view)  # fmt: skip
    assert signed_with(app, str(recorded.extra["correction"])) == {"new"}


def _request(current: str, previous: str | None, cookies: str) -> Request:
    settings = load_settings(
        {
            "REGIE_SECRET_KEY": current,
            **({"REGIE_SECRET_KEY_PREVIOUS": previous} if previous else {}),
        }
    )

    class State:
        secret_key = settings.require_secret_key()
        verification_keys = settings.verification_keys()
        regie = SimpleNamespace(settings=settings)

    class Web:
        state = State()

    scope = {"type": "http", "app": Web(), "headers": [(b"cookie", cookies.encode())]}
    return Request(scope)


def test_office_form_tokens_made_with_the_old_key_pass_only_while_it_is_the_previous_key() -> None:
    names = security.installation_cookie_names(load_settings({}))
    cookies = f"{names.session}=s3ss10n; {names.nonce}=n0nce"
    before = _request(OLD, None, cookies)
    old_session = security.csrf_token(before)
    old_nonce = security.csrf_token(before, anonymous=True)
    during = _request(NEW, OLD, cookies)
    assert security.csrf_ok(during, old_session) and security.csrf_ok(
        during, old_nonce, anonymous=True
    )
    assert security.csrf_token(during) not in {old_session}  # new tokens: the new key's
    assert security.csrf_ok(during, security.csrf_token(during))
    after = _request(NEW, None, cookies)
    assert not security.csrf_ok(after, old_session)
    assert not security.csrf_ok(after, old_nonce, anonymous=True)


def test_a_weak_previous_key_is_one_line() -> None:
    settings = load_settings({"REGIE_SECRET_KEY": NEW, "REGIE_SECRET_KEY_PREVIOUS": "short"})
    with pytest.raises(InvalidInput) as weak:
        settings.verification_keys()
    assert str(weak.value).startswith("REGIE_SECRET_KEY_PREVIOUS: 5 characters is too short")
    assert load_settings({"REGIE_SECRET_KEY": NEW}).verification_keys() == (NEW,)


@pytest.mark.parametrize("args", [("cycle", "--no-send"), ("round", "tick")])
def test_a_weak_previous_key_is_refused_before_anything_is_queued(
    tmp_path: Path, database_url: str, args: tuple[str, ...]
) -> None:
    """review10b 5: refused with the current key, at the start (not when the messages the
    cycle queued are sent): exit 2, one line, the database not even migrated."""
    from tests.cli_in_process import regie
    from tests.integration.mail_setup import DAY, mail_env

    env = mail_env(
        tmp_path, database_url, None, REGIE_NOTIFIER="file", REGIE_SECRET_KEY=NEW,
        REGIE_SECRET_KEY_PREVIOUS="short", REGIE_BASE_URL="https://regie.example.nl",
    )  # fmt: skip
    done = regie(*args, "--as-of", DAY.isoformat(), env=env)
    assert done.code == 2, done.out + done.err
    assert len(done.err.strip().splitlines()) == 1
    assert done.err.startswith("REGIE_SECRET_KEY_PREVIOUS: 5 characters is too short")
    assert not Path(env["REGIE_HOME"]).exists()
    engine = sa.create_engine(database_url)
    try:
        assert sa.inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_doctor_warns_while_a_previous_key_is_set(tmp_path: Path) -> None:
    from regie.doctor import _secret_key

    env = {"REGIE_HOME": str(tmp_path), "REGIE_SECRET_KEY": NEW}
    assert _secret_key(App(load_settings(env))).status == "ok"
    check = _secret_key(App(load_settings({**env, "REGIE_SECRET_KEY_PREVIOUS": OLD})))
    assert check.status == "warning" and "REGIE_SECRET_KEY_PREVIOUS is set" in check.detail


def test_a_link_dead_after_a_rotation_says_how_to_answer_instead(app: App, tmp_path: Path) -> None:
    """names35 4: the page of a link that no longer verifies (the key changed without a grace
    period) tells the owner how to answer all the same: reply to the mail (its Reply-To is the
    office's), or — when a reply reaches nobody — tell the office; the office named from the
    plan."""
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    removed = keyed(app, NEW, None)
    page = client(removed).get(f"/antwoord/{token}")
    assert page.status_code == 404
    what = page.text.split('<p id="wat-nu">', 1)[1].split("</p>", 1)[0]
    assert "beantwoord de e-mail waarin u deze link kreeg" in what
    assert "het programmabureau legt uw antwoord vast" in what
    assert "Neem contact op met het programmabureau" in page.text
    assert "P. Bureau" in page.text and "mailto:bureau@example.org" in page.text

    # No Reply-To (no REGIE_MAIL_REPLY_TO, the office contact without an e-mail address): a
    # reply would reach nobody, so the page does not invite one.
    plan = tmp_path / "no-reply.yaml"
    text = app.settings.plan_path.read_text(encoding="utf-8")
    plan.write_text(text.replace("    email: bureau@example.org\n", "", 1), encoding="utf-8")
    quiet = replace(removed, settings=replace(removed.settings, plan_path=plan))
    assert quiet.mail_reply_to(quiet.load_plan()) is None
    page = client(quiet).get(f"/antwoord/{token}")
    assert page.status_code == 404
    what = page.text.split('<p id="wat-nu">', 1)[1].split("</p>", 1)[0]
    assert "laat het programmabureau weten hoe het met dit punt staat" in what
    assert "beantwoord" not in what
