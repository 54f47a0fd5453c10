"""Channel routing: each message goes to the first configured channel its contact can receive.

``REGIE_NOTIFIER=slack,email`` is the priority order; a contact's own ``channel:`` goes first
when it is configured. A channel that turns out not to reach the contact (no Slack account for
the address) hands over to the next one, and the delivery says so. A contact no channel reaches
fails with :class:`Unreachable` — recorded in the outbox, never silently dropped; with
:class:`Refused` when a channel's server refused the message for good (the outbox gives it up
at once).

A channel that is down (:class:`ChannelDown`: Slack or the mail server not reachable, bad
credentials) is not tried again in this batch. The message that found it down goes to the next
channel only when it clearly did not reach its contact (and no earlier attempt may have): an
unclear post is never duplicated by another channel. Messages that no channel still up may
carry wait, untried (:class:`Postponed`); with every channel down the batch stops.

An attempt whose outcome on a channel is unclear (a post or SMTP exchange that timed out)
names that channel on its error (``NotifierError.channel``); the outbox keeps it and later
attempts (``Message.tried_on``) use that channel only, so a fall-back to e-mail that may have
arrived is not posted to Slack once Slack is back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace

from notifications.base import (
    Bounced,
    ChannelDown,
    Delivery,
    Message,
    Notifier,
    NotifierError,
    Postponed,
    Refused,
    SenderRefused,
    Unreachable,
    batch,
    can_reach,
    workers,
)
from notifications.notes import NoteCode, note

#: Why a channel cannot reach the contact before it is tried (no address it could use).
_CANNOT_REACH = {"slack": NoteCode.SLACK_CANNOT_REACH, "email": NoteCode.EMAIL_CANNOT_REACH}


class Router:
    def __init__(self, notifiers: Sequence[Notifier], preferred: Mapping[str, str]) -> None:
        self.notifiers = list(notifiers)
        self.preferred = dict(preferred)  # contact id → channel
        self.channel = ",".join(n.channel for n in self.notifiers)
        self.workers = max(workers(n) for n in self.notifiers)
        #: channel → why it is down, for the rest of this router's batch (first reason kept)
        self.down: dict[str, str] = {}

    def order(self, message: Message) -> list[Notifier]:
        if message.tried_on is not None:
            # An earlier attempt may have left it there: no second copy by another channel.
            there = [n for n in self.notifiers if n.channel == message.tried_on]
            if there:
                return there
        first = message.metadata.get("channel") or self.preferred.get(message.recipient)
        return sorted(self.notifiers, key=lambda n: n.channel != first)  # stable

    def can_reach(self, message: Message) -> bool:
        return any(can_reach(n, message) for n in self.notifiers)

    @contextmanager
    def batch(self) -> Iterator[Router]:
        with ExitStack() as stack:
            for notifier in self.notifiers:
                stack.enter_context(batch(notifier))
            yield self

    def send(self, message: Message) -> Delivery:
        skipped: list[str] = []
        refused = bounced = False
        waits = False  # a channel that reaches the contact is down: the message can wait
        tried: ChannelDown | None = None  # this message found its channel down
        for notifier in self.order(message):
            if not can_reach(notifier, message):
                why = note(_CANNOT_REACH.get(notifier.channel, NoteCode.CANNOT_REACH))
                skipped.append(f"{notifier.channel}: {why}")
                continue
            down = self.down.get(notifier.channel)
            if down is not None:
                waits = True
                if message.tried_before:  # an earlier attempt may have reached them there
                    break
                skipped.append(f"{notifier.channel}: {down}")
                continue
            try:
                delivery = notifier.send(message)
            except SenderRefused:
                raise  # our sender address: the send loop keeps the message and stops
            except ChannelDown as exc:
                self.down.setdefault(notifier.channel, str(exc))
                tried = exc
                if exc.maybe_delivered:
                    exc.channel = notifier.channel
                if exc.maybe_delivered or message.tried_before:
                    break  # it may have arrived: no second copy by another channel
                skipped.append(f"{notifier.channel}: {exc}")
                continue
            except Unreachable as exc:
                skipped.append(f"{notifier.channel}: {exc}")
                refused = refused or isinstance(exc, Refused)
                bounced = bounced or isinstance(exc, Bounced)
                continue
            except NotifierError as exc:
                # Not clearly refused nor down (an SMTP exchange that timed out after the
                # message was handed over): it may be there, so later attempts stay there.
                exc.channel = exc.channel or notifier.channel
                raise
            if skipped:
                via = note(NoteCode.SENT_VIA, skipped="; ".join(skipped), channel=delivery.channel)
                delivery = replace(delivery, note=str(via))
            return delivery
        if tried is not None:
            # This message used its attempt; the batch stops only when no channel is left.
            failure: NotifierError = tried
            if all(n.channel in self.down for n in self.notifiers):
                if len(self.down) > 1:
                    every = "; ".join(self.down.values())  # each channel's reason, said once
                    failure = ChannelDown(every, maybe_delivered=tried.maybe_delivered)
            else:
                failure = NotifierError(tried.note or str(tried))
            failure.channel = tried.channel  # where it may have arrived, if anywhere
            failure.unconfirmed = tried.unconfirmed
            raise failure
        if waits:
            raise Postponed("; ".join(f"{c}: {why}" for c, why in self.down.items()))
        # A server's refusal for good, and no other channel that reaches: given up at once;
        # a bouncing address and no other channel: it waits for a new address.
        error = Refused if refused else Bounced if bounced else Unreachable
        raise error(
            note(NoteCode.UNREACHABLE, contact=message.recipient, skipped="; ".join(skipped))
        )
