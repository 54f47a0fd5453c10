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


#: ``users.info`` errors that are Slack's answer about the user (no later try would differ).
NO_SUCH_USER = frozenset({"user_not_found", "users_not_found", "user_not_visible"})


class LookupFailed(Exception):
    """``users.info`` did not answer (Slack down, rate limited, a scope missing): the user may
    well be a contact; the answer is refused as "try again", not as an unknown person."""


def user_email(client: WebClient, user_id: str) -> str | None:
    """``users.info`` → the profile's e-mail address (scope users:read.email); None when Slack
    says there is no such user or the profile has no address; :class:`LookupFailed` when the
    look-up itself failed."""
    from slack_sdk.errors import SlackApiError

    try:
        user = client.users_info(user=user_id).get("user") or {}
    except SlackApiError as exc:
        error = exc.response.get("error") if isinstance(exc.response.data, dict) else None
        if error in NO_SUCH_USER:
            return None
        log.warning("users.info %s failed: %s", user_id, error or exc)
        raise LookupFailed(str(error or exc)) from None
    except Exception as exc:  # Slack down, the connection dropped: try again later
        log.warning("users.info %s failed: %s", user_id, exc)
        raise LookupFailed(str(exc)) from None
    email = (user.get("profile") or {}).get("email")
    return email if isinstance(email, str) else None


def run_after_ack(client: WebClient, calls: Iterable[Callable[[WebClient], Any]]) -> None:
    """The Web API calls an interaction asked for; a failure is logged, the answer is stored."""
    for call in calls:
        try:
            call(client)
        except Exception as exc:
            log.warning("Slack call after an answer failed: %s", exc)
