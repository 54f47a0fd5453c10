"""``python -m tests.clocked_cli ARGS``: the `regie` command on a test's clock. Regie's one clock
(``governance.clock``'s ``datetime.now``) starts at the instant in ``TESTS_CLOCK_NOW`` (ISO 8601,
with its offset) and runs on from there as the real one does. :func:`tests.cli.regie` runs this
while a test has set the clock (:func:`tests.integration.mail_setup.sender_clock`), so that a
command and the test's own calls agree on the time."""

from __future__ import annotations

import os
import time
from datetime import datetime, tzinfo

import governance.clock

_START = datetime.fromisoformat(os.environ["TESTS_CLOCK_NOW"]).timestamp()
_BEGUN = time.monotonic()


class _Moving(datetime):
    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _Moving:  # type: ignore[override]
        return cls.fromtimestamp(_START + time.monotonic() - _BEGUN, tz)


governance.clock.datetime = _Moving  # type: ignore[misc]

from regie.cli import main  # noqa: E402  (after the clock is set)

main()
