"""Bad input in Prefect's run logs: one line, no traceback (walk55c 3, review55b 3).

A bad plan file or setting fails a flow run with :class:`regie.errors.InvalidInput`, whose
message is the problem, one line each (``PATH:LINE:COL: …``). Prefect logs the exception of a
failed task run, of each flow run it passes through (a subflow, its parent) and, for a
deployment's run, of the engine's exit, each with ``exc_info``: four tracebacks in the worker's
log (``journalctl -u regie-worker``) for one mistake in the plan. The filter below keeps those
records and drops their traceback: the line names the error and its problems, as `regie cycle`
does. Only errors told in full by their line lose it: bad input, another cycle holding the
lock, a database that needs `regie db upgrade` (:func:`bad_input`). Any other exception keeps
its traceback — a bug, and a Regie error that wraps another exception (``DatabaseNotReady``
raised ``from`` whatever a revision check or migration raised: the CLI says it in one line, so
the worker's log is the only trace of that bug).
"""

from __future__ import annotations

import logging

#: The loggers Prefect's task and flow run engines (and a deployment run's engine exit) log a
#: failed run's exception to.
RUN_LOGGERS = ("prefect.task_runs", "prefect.flow_runs", "prefect.engine")


def bad_input(exc: BaseException) -> bool:
    """Whether ``exc`` is told in full by its message, so a traceback is only noise: bad input
    the user can fix (:class:`~regie.errors.InvalidInput`: a plan's ``PATH:LINE:COL`` problems,
    settings refused), or a state the operator acts on from the message alone (another cycle
    holds the lock; the database needs ``regie db upgrade``), wrapping nothing or only such
    errors. What its traceback would show as the cause (``from exc``, or the exception it was
    raised while handling, unless ``from None``) counts: a bug wrapped as one keeps it."""
    from regie.errors import DatabaseNotReady, InvalidInput
    from regie.locks import AnotherCycleRunning

    told = (InvalidInput, DatabaseNotReady, AnotherCycleRunning)
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None:
        if not isinstance(link, told) or id(link) in seen:
            return False
        seen.add(id(link))
        link = link.__cause__ or (None if link.__suppress_context__ else link.__context__)
    return True


class NoRegieTraceback(logging.Filter):
    """Keeps a record; one whose exception is :func:`bad_input` loses its traceback and says
    the error's problems on its own line instead, when the message does not quote them already."""

    def filter(self, record: logging.LogRecord) -> bool:
        from regie.errors import one_line

        exc = record.exc_info[1] if record.exc_info else None
        if exc is None or not bad_input(exc):
            return True
        message = record.getMessage()
        said = one_line(str(exc))
        if repr(exc) not in message and said not in message:
            message = f"{message}: {type(exc).__name__}: {said}"
        record.msg, record.args = message, ()
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def quiet_regie_errors() -> None:
    """Install :class:`NoRegieTraceback` on Prefect's run loggers (once)."""
    for name in RUN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, NoRegieTraceback) for f in logger.filters):
            logger.addFilter(NoRegieTraceback())
