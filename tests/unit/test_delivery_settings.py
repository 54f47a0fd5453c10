"""REGIE_NOTIFIER, Slack and SMTP settings: checked once, one line per problem, no secrets."""

from __future__ import annotations

import pytest

from regie.config import load_settings
from regie.errors import InvalidInput

SLACK = {"REGIE_NOTIFIER": "slack", "REGIE_SLACK_BOT_TOKEN": "xoxb-123-456-abc"}
EMAIL = {
    "REGIE_NOTIFIER": "email",
    "REGIE_SMTP_HOST": "smtp.example.nl",
    "REGIE_MAIL_FROM": "Regie <regie@example.nl>",
}


def _problems(env: dict[str, str]) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        load_settings(env)
    assert caught.value.exit_code == 2
    return caught.value.lines


def test_file_stays_the_default() -> None:
    settings = load_settings({})
    assert settings.notifiers == ("file",) and settings.slack is None and settings.smtp is None


def test_a_priority_list_with_both_channels() -> None:
    settings = load_settings(
        {
            **SLACK,
            **EMAIL,
            "REGIE_NOTIFIER": " Slack , email ",
            "REGIE_SLACK_API_URL": "http://127.0.0.1:9999/api",
            "REGIE_SLACK_OFFICE_CHANNEL": "C0123ABC",
            "REGIE_SLACK_RATE": "20",
            "REGIE_SMTP_SECURITY": "ssl",
            "REGIE_CONTACTS": "/etc/regie/contacts.yaml",
        }
    )
    assert settings.notifiers == ("slack", "email")
    assert settings.slack is not None and settings.slack.api_url == "http://127.0.0.1:9999/api/"
    assert settings.slack.office_channel == "C0123ABC" and settings.slack.rate == 20
    assert settings.smtp is not None and (settings.smtp.port, settings.smtp.security) == (
        465,
        "ssl",
    )
    assert str(settings.contacts_path) == "/etc/regie/contacts.yaml"


def test_secrets_stay_out_of_repr() -> None:
    settings = load_settings(
        {
            **SLACK,
            **EMAIL,
            "REGIE_NOTIFIER": "slack,email",
            "REGIE_SMTP_USER": "regie",
            "REGIE_SMTP_PASSWORD": "hunter2-geheim",
        }
    )
    shown = repr(settings)
    assert "xoxb-123-456-abc" not in shown and "hunter2-geheim" not in shown


def test_every_problem_is_one_line_and_no_secret_is_echoed() -> None:
    lines = _problems(
        {
            "REGIE_NOTIFIER": "slack,email,fax,slack",
            "REGIE_SLACK_BOT_TOKEN": "xoxp-user-token-secret",
            "REGIE_SLACK_RATE": "snel",
            "REGIE_SMTP_PORT": "vijfentwintig",
            "REGIE_SMTP_SECURITY": "tls",
            "REGIE_SMTP_USER": "regie",
            "REGIE_MAIL_FROM": "geen adres",
        }
    )
    assert lines == [
        "REGIE_NOTIFIER: 'fax' is not available (available: file, slack, email)",
        "REGIE_NOTIFIER: 'slack' is listed twice",
        "REGIE_SLACK_BOT_TOKEN: not a bot token (it must start with 'xoxb-')",
        "REGIE_SLACK_RATE: 'snel' is not a number",
        "REGIE_SMTP_HOST: not set, but REGIE_NOTIFIER names email",
        "REGIE_SMTP_SECURITY: 'tls' is not one of starttls, ssl, none",
        "REGIE_SMTP_PORT: 'vijfentwintig' is not a whole number",
        "REGIE_SMTP_USER and REGIE_SMTP_PASSWORD: set both (to log in) or neither",
        "REGIE_MAIL_FROM: 'geen adres' is not an e-mail address",
    ]
    assert not any("xoxp-user-token-secret" in line for line in lines)


@pytest.mark.parametrize(
    ("env", "line"),
    [
        (
            {"REGIE_NOTIFIER": "slack"},
            "REGIE_SLACK_BOT_TOKEN: not set, but REGIE_NOTIFIER names slack",
        ),
        (
            {**SLACK, "REGIE_SLACK_API_URL": "slack.com/api"},
            "REGIE_SLACK_API_URL: not an http(s) URL: 'slack.com/api'",
        ),
        (
            {**SLACK, "REGIE_SLACK_RATE": "0"},
            "REGIE_SLACK_RATE: 0 posts per second is not in 0 < rate ≤ 1000",
        ),
        (
            {**SLACK, "REGIE_SLACK_OFFICE_CHANNEL": "# pmo"},
            "REGIE_SLACK_OFFICE_CHANNEL: '# pmo' is not a channel id (C…) or #name",
        ),
        (
            {**EMAIL, "REGIE_SMTP_PORT": "70000"},
            "REGIE_SMTP_PORT: 70000 is not a port number (1–65535)",
        ),
        (
            {**EMAIL, "REGIE_MAIL_REPLY_TO": "pmo"},
            "REGIE_MAIL_REPLY_TO: 'pmo' is not an e-mail address",
        ),
        (
            {
                **EMAIL,
                "REGIE_SMTP_SECURITY": "none",
                "REGIE_SMTP_USER": "u",
                "REGIE_SMTP_PASSWORD": "p",
            },
            "REGIE_SMTP_SECURITY: 'none' would send REGIE_SMTP_PASSWORD in the clear; "
            "use starttls or ssl",
        ),
    ],
)
def test_one_bad_value(env: dict[str, str], line: str) -> None:
    assert _problems(env) == [line]


def test_the_sender_may_come_from_the_plan_alone() -> None:
    """Without REGIE_MAIL_FROM the settings load: the plan's programme.mail_from may name the
    sender (walk30 13); the plan is read later, and App.channel says when neither does."""
    settings = load_settings({"REGIE_NOTIFIER": "email", "REGIE_SMTP_HOST": "h"})
    assert settings.smtp is not None and settings.smtp.mail_from is None


def test_the_slack_workspace_and_app_to_take_interactions_from() -> None:
    settings = load_settings({})
    assert (settings.slack_team_id, settings.slack_app_id) == (None, None)  # not checked
    settings = load_settings({"REGIE_SLACK_TEAM_ID": "T0123ABC", "REGIE_SLACK_APP_ID": "A0456"})
    assert (settings.slack_team_id, settings.slack_app_id) == ("T0123ABC", "A0456")
    assert load_settings({"REGIE_SLACK_TEAM_ID": "E0ORG1"}).slack_team_id == "E0ORG1"
    assert _problems({"REGIE_SLACK_TEAM_ID": "acme", "REGIE_SLACK_APP_ID": "T0123"}) == [
        "REGIE_SLACK_TEAM_ID: 'acme' is not a workspace id (T…) or organisation id (E…)",
        "REGIE_SLACK_APP_ID: 'T0123' is not a Slack app id (A…)",
    ]


@pytest.mark.parametrize(
    "value",
    ["https://x.nl/re\ngie/", "https://x.nl/re\r\ngie", "https://x.nl/re gie", "https://x.nl/\tr"],
)
def test_a_base_url_with_a_blank_inside_is_refused_in_one_line(value: str) -> None:
    # urlsplit drops line breaks and tabs: the raw value would have gone into every link.
    lines = _problems({"REGIE_BASE_URL": value})
    assert lines == [f"REGIE_BASE_URL: contains a space, tab or line break: {value.rstrip('/')!r}"]


def test_a_base_url_with_a_fragment_or_query_is_refused() -> None:
    assert _problems({"REGIE_BASE_URL": "https://x.nl/regie#top"}) == [
        "REGIE_BASE_URL: not an http(s) URL: 'https://x.nl/regie#top'"
    ]
    assert _problems({"REGIE_BASE_URL": "https://x.nl/?a=1"}) == [
        "REGIE_BASE_URL: not an http(s) URL: 'https://x.nl/?a=1'"
    ]


def test_blanks_around_a_base_url_are_dropped() -> None:
    settings = load_settings({"REGIE_BASE_URL": "  https://x.nl/regie/\n"})
    assert settings.base_url == "https://x.nl/regie"
    assert settings.base_url_given
