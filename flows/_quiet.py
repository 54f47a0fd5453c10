"""Regie's own errors in Prefect's run logs: one line, no traceback (walk55c 3).

A bad plan file or setting fails a flow run with a :class:`regie.errors.RegieError`, whose
message is the problem, one line each (``PATH:LINE:COL: …``). Prefect logs the exception of a
failed task run, of each flow run it passes through (a subflow, its parent) and, for a
deployment's run, of the engine's exit, each with ``exc_info``: four tracebacks in the worker's
log (``journalctl -u regie-worker``) for one mistake in the plan. The filter below keeps those
records and drops their traceback: the line names the error and its problems, as `regie cycle`
does. Any other exception (a bug) keeps its traceback.
"""

from __future__ import annotations

import logging

#: The loggers Prefect's task and flow run engines (and a deployment run's engine exit) log a
#: failed run's exception to.
RUN_LOGGERS = ("prefect.task_runs", "prefect.flow_runs", "prefect.engine")


class NoRegieTraceback(logging.Filter):
    """Keeps a record; one whose exception is a RegieError loses its traceback and says the
    error's problems on its own line instead, when the message does not quote them already."""

    def filter(self, record: logging.LogRecord) -> bool:
        from regie.errors import RegieError, one_line

        exc = record.exc_info[1] if record.exc_info else None
        if not isinstance(exc, RegieError):
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
