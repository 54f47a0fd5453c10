"""Adapters that deliver outbox messages: a file outbox (default); Slack and e-mail later."""

from __future__ import annotations

from typing import TYPE_CHECKING

from notifications.base import Delivery, Message, Notifier, NotifierError

if TYPE_CHECKING:
    from regie.config import Settings

__all__ = ["Delivery", "Message", "Notifier", "NotifierError", "make_notifier"]


def make_notifier(settings: Settings) -> Notifier:
    """The notifier the settings ask for (REGIE_NOTIFIER)."""
    if settings.notifier == "file":
        from notifications.file_outbox import FileOutbox

        return FileOutbox(settings.outbox_dir)
    raise NotifierError(f"REGIE_NOTIFIER={settings.notifier!r} is not available (available: file)")
