"""Entrypoint: the `regie` command line (typer). May import flows; nothing imports it.

Kept light on purpose: `main` imports the command line itself, so a Ctrl-C during that import
ends as one line too, not a traceback.
"""

from __future__ import annotations

import gc
import sys

#: What Ctrl-C prints. Commands commit whole units of work (a day, a message) and a message cut
#: off mid-send is retried once its claim lapses, so running the command again carries on.
INTERRUPTED = "interrupted: nothing half-done was recorded; run the command again to carry on"

__all__ = ["INTERRUPTED", "main"]


def main() -> None:
    """Run the command line (``regie.cli.app.main``)."""
    from regie.cli import interrupts

    interrupts.install()
    try:
        from regie.cli.app import main as run
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        sys.exit(130)
    try:
        run()
    finally:
        _before_exit()
        interrupts.ending()  # the command has answered: a late Ctrl-C changes nothing now


def _before_exit() -> None:
    """Close the databases now, then spare the interpreter its last garbage collection over
    every object the command imported or made: ≈ 0.3 s of a 1.3 s cycle, and the process ends
    right after anyway (``benchmarks/startup.py``). A Ctrl-C while closing is let go: what the
    command did is committed or rolled back already, and it has said so."""
    try:
        db = sys.modules.get("store.db")
        if db is not None:
            db.dispose_engines()
    except KeyboardInterrupt:
        pass
    gc.freeze()
