"""The Slack Web API client for answers (bot token and API URL from the delivery settings)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App

if TYPE_CHECKING:
    from slack_sdk import WebClient

log = logging.getLogger("regie.slack")


def slack_client(app: App) -> WebClient | None:
    """The delivery's WebClient (bot token, API URL, retry handlers) when Slack is configured,
    else None (answers are still stored; nothing is edited in Slack)."""
    slack = app.settings.slack
    if slack is None:
        return None
    from notifications.slack import web_client

    return web_client(slack.token, slack.api_url, timeout=10)


def user_email(client: WebClient, user_id: str) -> str | None:
    """``users.info`` → the profile's e-mail address (scope users:read.email), or None."""
    try:
        user = client.users_info(user=user_id).get("user") or {}
    except Exception as exc:  # Slack down or the user unknown: the answer is refused, not lost
        log.warning("users.info %s failed: %s", user_id, exc)
        return None
    email = (user.get("profile") or {}).get("email")
    return email if isinstance(email, str) else None


def run_after_ack(client: WebClient, calls: Iterable[Callable[[WebClient], Any]]) -> None:
    """The Web API calls an interaction asked for; a failure is logged, the answer is stored."""
    for call in calls:
        try:
            call(client)
        except Exception as exc:
            log.warning("Slack call after an answer failed: %s", exc)
