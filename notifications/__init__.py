"""Adapters that deliver outbox messages behind the :class:`Notifier` protocol.

Built in ``regie.bootstrap`` from plain arguments; nothing here reads settings.
"""

from __future__ import annotations

from notifications.base import Delivery, Message, Notifier, NotifierError

__all__ = ["Delivery", "Message", "Notifier", "NotifierError"]
