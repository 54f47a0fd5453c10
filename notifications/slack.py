"""Slack delivery: a digest as a direct message (``conversations.open`` → ``chat.postMessage``).

Exactly once, although Slack has no idempotency key: every post carries the outbox key in its
``metadata``. Whenever an earlier attempt may have reached Slack (a retried row, a post that
failed without a clear answer) the channel is searched for that key first
(``conversations.history`` with ``include_all_metadata``); found → that post counts, no second.

slack-sdk's retry handlers are on: 429s wait for ``Retry-After`` (always safe: Slack did not
post). Server errors and dropped connections are retried by the handlers only for reading
calls; for ``chat.postMessage`` the notifier retries itself, after looking for the post.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from governance.clock import utcnow
from notifications.base import (
    ChannelDown,
    Delivery,
    Message,
    NotifierError,
    Refused,
    Unreachable,
)
from notifications.notes import NoteCode, note
from notifications.slack_blocks import (
    EVENT_TYPE,
    digest_blocks,
    fallback_text,
    has_blocks,
    metadata,
)

if TYPE_CHECKING:
    from slack_sdk import WebClient

#: Errors that no other message would escape: stop the batch, say it in one line.
FATAL = {
    "invalid_auth": "Slack refused the bot token (invalid_auth): check REGIE_SLACK_BOT_TOKEN",
    "not_authed": "Slack received no bot token (not_authed): check REGIE_SLACK_BOT_TOKEN",
    "token_revoked": "the Slack bot token was revoked (token_revoked): install the app again",
    "token_expired": "the Slack bot token expired (token_expired): install the app again",
    "account_inactive": "the Slack app's account is inactive (account_inactive)",
    "missing_scope": "the Slack app lacks a scope (missing_scope): see slack-manifest.yaml",
    "not_allowed_token_type": "REGIE_SLACK_BOT_TOKEN is not a bot token (not_allowed_token_type)",
    "team_access_not_granted": "the Slack app has no access to this workspace",
}
NO_USER = {"users_not_found", "user_not_found", "user_disabled", "cannot_dm_bot"}
#: Slack's answers to a post that no later attempt would change: the message is given up at
#: once (:class:`Refused`). The bot's own token (FATAL) stops the batch instead; ``ratelimited``
#: and 5xx answers pass.
REFUSED_POST = {"channel_not_found", "is_archived", "not_in_channel"}
POST = "chat.postMessage"
PER_CHANNEL = 1.0  # seconds between posts in one channel (Slack: about one a second)
POST_TRIES = 4  # attempts per post when Slack answers unclearly (5xx, dropped connection)
HISTORY_PAGES = 10  # pages of 200 messages searched for an earlier post
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,}")


class UserCache(Protocol):
    """Where ``users.lookupByEmail`` answers are kept (the database, wired in bootstrap)."""

    def lookup(self, email: str, now: datetime) -> tuple[str | None] | None: ...

    def store(self, email: str, user_id: str | None, now: datetime) -> None: ...


class Pacer:
    """Spaces posts: ``rate`` per second for the workspace and one a second per conversation.

    Each caller reserves the next free slot under a lock and sleeps only until it, so senders
    in several threads share one budget and none waits longer than the limits require. The
    interval has a 5 % margin: network jitter would otherwise bunch posts into Slack's window.
    """

    MARGIN = 1.05

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = self.MARGIN / rate
        self.clock = clock
        self.sleep = sleep
        self._next = 0.0
        self._channels: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str) -> None:
        while True:
            with self._lock:
                now = self.clock()
                slot = max(now, self._next)
                ready = self._channels.get(channel, 0.0)
                if ready <= slot:
                    self._next = slot + self.interval
                    self._channels[channel] = slot + PER_CHANNEL
                    break
            # Wait for this conversation without holding up the others' workspace slots.
            self.sleep(ready - now)
        if slot > now:
            self.sleep(slot - now)


class SlackNotifier:
    """Thread-safe: the send loop runs ``workers`` messages at once, so that Slack's answer
    time (two calls per digest) does not hold the pace below the workspace limit."""

    channel = "slack"

    def __init__(
        self,
        client: WebClient,
        users: UserCache | None = None,
        *,
        rate: float = 10.0,
        workers: int = 8,
        now: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.workers = workers
        self.client = client
        self.users = users
        self.pacer = Pacer(rate, sleep=sleep)
        self.now = now
        self.sleep = sleep

    # --- who -----------------------------------------------------------------------------

    def can_reach(self, message: Message) -> bool:
        return bool(message.slack or message.email)

    def user_id(self, message: Message) -> str:
        """The recipient's Slack user id: given, or looked up by e-mail (cached)."""
        given = (message.slack or "").strip()
        if _USER_ID.fullmatch(given):
            return given
        email = given if "@" in given else (message.email or "")
        if not email:
            raise Unreachable(note(NoteCode.NO_SLACK_ID_FOR, contact=message.recipient))
        now = self.now()
        cached = self.users.lookup(email, now) if self.users else None
        if cached is not None:
            user_id = cached[0]
        else:
            answer = self._call("users.lookupByEmail", email=email)
            user_id = answer["user"]["id"] if answer.get("ok") else None
            if user_id is None and answer.get("error") not in NO_USER:
                raise NotifierError(f"users.lookupByEmail: {answer.get('error')}")
            if self.users:
                self.users.store(email, user_id, now)
        if user_id is None:
            raise Unreachable(note(NoteCode.NO_SLACK_ACCOUNT, email=email))
        return user_id

    def conversation(self, message: Message) -> str:
        """The channel to post in: the office channel as given, else a DM with the user."""
        target = (message.slack or "").strip()
        if message.metadata.get("to_channel"):
            if not target:
                raise Unreachable(note(NoteCode.NO_SLACK_CHANNEL))
            return target
        user_id = self.user_id(message)
        answer = self._call("conversations.open", users=user_id)
        if not answer.get("ok"):
            if answer.get("error") in NO_USER:  # Slack's answer about this user: for good
                raise Refused(
                    note(NoteCode.UNKNOWN_SLACK_USER, user=user_id, error=answer.get("error"))
                )
            raise NotifierError(f"conversations.open: {answer.get('error')}")
        return str(answer["channel"]["id"])

    # --- send ----------------------------------------------------------------------------

    def send(self, message: Message) -> Delivery:
        if not has_blocks(message.kind):  # checked first: nothing is looked up or opened
            raise Unreachable(note(NoteCode.NOT_BY_SLACK, kind=message.kind))
        try:
            channel = self.conversation(message)
        except _Offline as exc:
            # Slack cannot be reached: every other message would wait for it the same way, and
            # nothing of this one was posted yet, so another channel may carry it.
            raise ChannelDown(self._offline(exc)) from None
        if message.tried_before:
            found = self.find_posted(channel, message)
            if found:
                posted = str(note(NoteCode.POSTED_BEFORE))
                return Delivery(self.channel, f"{channel}/{found}", note=posted)
        return Delivery(self.channel, f"{channel}/{self.post(channel, message)}")

    def post(self, channel: str, message: Message) -> str:
        """Post once; after an unclear failure look for the post before trying again."""
        blocks = digest_blocks(message)
        text = fallback_text(message)
        last = ""
        sent = False  # whether a post may have reached Slack (not only failed to connect)
        for attempt in range(1, POST_TRIES + 1):
            self.pacer.wait(channel)
            try:
                answer = self._call(
                    POST,
                    channel=channel,
                    text=text,
                    blocks=blocks,
                    metadata=metadata(message),
                    unfurl_links=False,
                    unfurl_media=False,
                )
            except _Unclear as exc:
                last = str(exc)
                sent = sent or not (isinstance(exc, _Offline) and exc.unsent)
            else:
                if answer.get("ok"):
                    return str(answer["ts"])
                error = answer.get("error")
                if error in REFUSED_POST:
                    raise Refused(
                        note(NoteCode.SLACK_CHANNEL_REFUSED, channel=channel, error=error)
                    )
                if answer.status_code < 500:  # a clear refusal: nothing was posted
                    raise NotifierError(f"{POST}: {error}")
                last = f"{POST}: HTTP {answer.status_code} {error or ''}".strip()
            found = self.find_posted(channel, message, posted_maybe=sent)
            if found:
                return found
            if attempt > 1:  # the first retry waits only for the pacer; then back off
                self.sleep(min(0.25 * 2.0 ** (attempt - 2), 2.0))
        raise NotifierError(note(NoteCode.POST_FAILED, method=POST, tries=POST_TRIES, last=last))

    def find_posted(
        self, channel: str, message: Message, *, posted_maybe: bool = True
    ) -> str | None:
        """The ts of an earlier post of this message in ``channel``, if any. Slack out of
        reach: :class:`ChannelDown`, the post counted as maybe delivered unless ``posted_maybe``
        is false (this send's posts never left, and no earlier attempt could have posted)."""
        oldest = message.queued_at.timestamp() - 60 if message.queued_at else None
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            args: dict[str, Any] = {"channel": channel, "limit": 200, "include_all_metadata": True}
            if oldest is not None:
                args["oldest"] = f"{oldest:.6f}"
            if cursor:
                args["cursor"] = cursor
            try:
                answer = self._call("conversations.history", **args)
            except _Offline as exc:
                maybe = posted_maybe or message.tried_before
                raise ChannelDown(self._offline(exc), maybe_delivered=maybe) from None
            except _Unclear as exc:
                raise NotifierError(f"conversations.history: {exc}") from None
            if not answer.get("ok"):
                raise NotifierError(f"conversations.history: {answer.get('error')}")
            for posted in answer.get("messages") or []:
                meta = posted.get("metadata") or {}
                payload = meta.get("event_payload") or {}
                if meta.get("event_type") == EVENT_TYPE and _same(payload, message):
                    return str(posted["ts"])
            cursor = (answer.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return None
        return None

    def check(self) -> str:
        """``auth.test``: who the bot is, for ``regie notify test``."""
        answer = self._call("auth.test")
        if not answer.get("ok"):
            raise NotifierError(f"auth.test: {answer.get('error')}")
        return f"{answer.get('user')} in {answer.get('team')}"

    def _offline(self, exc: _Offline) -> str:
        return f"Slack ({self.client.base_url}) not reachable: {exc}"

    def _call(self, method: str, **kwargs: Any) -> Any:
        """One Web API call; fatal errors raise ChannelDown, unclear ones ``_Unclear``."""
        from slack_sdk.errors import SlackApiError

        try:
            if method == POST:
                return self.client.api_call(method, json=kwargs)
            params = {k: str(v).lower() if isinstance(v, bool) else v for k, v in kwargs.items()}
            return self.client.api_call(method, params=params)
        except SlackApiError as exc:
            response = exc.response
            error = response.get("error") if isinstance(response.data, dict) else None
            if error in FATAL:
                raise ChannelDown(FATAL[error]) from None
            if response.status_code >= 500 or error is None:
                raise _Unclear(f"HTTP {response.status_code}") from None
            return response
        except (OSError, TimeoutError) as exc:  # dropped connection, refused, timed out
            from urllib.error import URLError

            # URLError: the request could not be sent (refused, name unknown, no route);
            # anything later (a timeout waiting for the answer) may follow a post.
            unsent = isinstance(exc, URLError)
            raise _Offline(f"{method}: {type(exc).__name__}: {exc}", unsent=unsent) from None


def _same(payload: dict[str, Any], message: Message) -> bool:
    """Whether a post's metadata names ``message``: its key, and its programme when the post
    names one (a key is unique per programme only; posts from before programmes were named
    match by key, as they did)."""
    programme = payload.get("programme")
    return bool(payload.get("key") == message.key and programme in (None, message.programme))


class _Unclear(NotifierError):
    """Slack did not answer clearly (5xx, dropped connection): a post may or may not exist."""


class _Offline(_Unclear):
    """No answer at all: the connection failed or timed out. ``unsent``: the request itself
    could not be sent, so nothing was posted by it."""

    def __init__(self, reason: str, *, unsent: bool) -> None:
        super().__init__(reason)
        self.unsent = unsent


def web_client(token: str, base_url: str, *, timeout: int = 30, retries: int = 2) -> WebClient:
    """A WebClient with slack-sdk's retry handlers; posts are retried by the notifier."""
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import (
        ConnectionErrorRetryHandler,
        RateLimitErrorRetryHandler,
        ServerErrorRetryHandler,
    )
    from slack_sdk.http_retry.handler import RetryHandler
    from slack_sdk.http_retry.request import HttpRequest
    from slack_sdk.http_retry.response import HttpResponse
    from slack_sdk.http_retry.state import RetryState

    def not_posts(handler: type[RetryHandler]) -> RetryHandler:
        class ReadsOnly(handler):  # type: ignore[valid-type, misc]
            """Retrying a post blindly could post twice: the notifier looks first."""

            def _can_retry(
                self,
                *,
                state: RetryState,
                request: HttpRequest,
                response: HttpResponse | None = None,
                error: Exception | None = None,
            ) -> bool:
                if request.url.rstrip("/").endswith(POST):
                    return False
                return bool(
                    super()._can_retry(state=state, request=request, response=response, error=error)
                )

        instance: RetryHandler = ReadsOnly(max_retry_count=retries)
        return instance

    return WebClient(
        token=token,
        base_url=base_url,
        timeout=timeout,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=5),
            not_posts(ServerErrorRetryHandler),
            not_posts(ConnectionErrorRetryHandler),
        ],
    )
