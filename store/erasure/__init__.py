"""Personal data: one contact's, read all (AVG art. 15) and erased (art. 17); one status
update's note, redacted by the office. Each runs in the caller's transaction and opens the
append-only triggers for exactly its own changes.

- :mod:`.contact_data` finds what is stored about a contact and exports it;
- :mod:`.forget` forgets a contact (and a disabled login);
- :mod:`.redaction` redacts one update's note and its copies;
- :mod:`.common` holds what they share: the refusal, and rewriting personal values in text.
"""

from store.erasure.common import ErasureRefused, name_pattern, scrub
from store.erasure.contact_data import (
    PERSONAL_KEYS,
    contact_known,
    export,
    personal_values,
    reports_naming,
)
from store.erasure.forget import (
    FORGOTTEN_EVENT,
    UNSENT,
    Erased,
    close_erasure,
    forget,
    forget_user,
    open_erasure,
)
from store.erasure.redaction import (
    NOT_SENT,
    REDACTED_EVENT,
    Redacted,
    Redaction,
    redact,
    redaction_of,
    redactions,
)

__all__ = [
    "FORGOTTEN_EVENT",
    "NOT_SENT",
    "PERSONAL_KEYS",
    "REDACTED_EVENT",
    "UNSENT",
    "Erased",
    "ErasureRefused",
    "Redacted",
    "Redaction",
    "close_erasure",
    "contact_known",
    "export",
    "forget",
    "forget_user",
    "name_pattern",
    "open_erasure",
    "personal_values",
    "redact",
    "redaction_of",
    "redactions",
    "reports_naming",
    "scrub",
]
