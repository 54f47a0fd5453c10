"""Entrypoint: the `regie` command line (typer). May import flows; nothing imports it.

Kept light on purpose: `main` imports the command line itself, so a Ctrl-C during that import
ends as one line too, not a traceback.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from regie.cli.app import app

#: What Ctrl-C prints. Commands commit whole units of work (a day, a message) and a message cut
#: off mid-send is retried once its claim lapses, so running the command again carries on.
INTERRUPTED = "interrupted: nothing half-done was recorded; run the command again to carry on"

__all__ = ["INTERRUPTED", "app", "main"]


def main() -> None:
    """Run the command line (``regie.cli.app.main``)."""
    try:
        from regie.cli.app import main as run
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        sys.exit(130)
    run()


def __getattr__(name: str) -> Any:
    if name == "app":  # the typer application, for tests and documentation tools
        from regie.cli.app import app

        return app
    raise AttributeError(name)
