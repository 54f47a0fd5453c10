"""Work in a forked child process that imports its libraries while the parent still works.

A PDF command spends about a second importing WeasyPrint and matplotlib and getting fonts
ready, and the same again assembling its pack, before laying out a page. Forked at the start
of the command, a :class:`Worker` does its part of that on the machine's other core; the
parent then hands it jobs (a module-level function and picklable arguments) over a pipe.

Guarantees: the child never returns into the caller's code (it ends with ``os._exit``, so no
atexit handler, buffered output or open database connection of the parent is touched twice);
it dies with the parent (``PR_SET_PDEATHSIG`` on Linux, and end of input on its pipe
anywhere); :meth:`Worker.close` kills and reaps it, so no process outlives the command; an
exception in a job is raised again in the parent, with the child's traceback as a note; a
child that died without an answer raises :class:`WorkerLost`, and the caller does the job
itself.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import struct
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from types import TracebackType
from typing import Any

_HEADER = struct.Struct("!Q")
_READER = "regie-worker-job-reader"


class WorkerLost(Exception):
    """The child ended without answering (killed, out of memory, a crash in a C library)."""


class Worker:
    """One forked child that runs ``prepare`` at once, then the jobs it is sent, in order."""

    def __init__(self, pid: int, jobs: int, results: int) -> None:
        self.pid = pid
        self._jobs = jobs
        self._results = results
        self._pending = 0

    @classmethod
    def start(cls, prepare: Callable[[], object]) -> Worker | None:
        """A worker, or None where forking is not safe: not Linux, or other threads running
        (a fork copies one thread; a lock another one held would stay locked in the child).
        A worker's own job reader does not count: it only waits in ``os.read`` and fills a
        queue the child never uses, so it holds nothing the child could need (the PDF worker
        forks a helper to draw charts, :func:`regie.pdf_worker._draw_in_worker`)."""
        others = [t for t in threading.enumerate() if t is not threading.current_thread()]
        if not sys.platform.startswith("linux") or any(t.name != _READER for t in others):
            return None
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # else the child could write the parent's buffered text again
        parent = os.getpid()
        fds: list[int] = []
        try:
            jobs_r, jobs_w = os.pipe()
            fds += (jobs_r, jobs_w)
            results_r, results_w = os.pipe()
            fds += (results_r, results_w)
            pid = os.fork()
        except OSError:  # no process or descriptor to spare: the caller works alone
            for fd in fds:
                os.close(fd)
            return None
        if pid == 0:  # the child
            code = 0
            try:
                os.close(jobs_w)
                os.close(results_r)
                _serve(parent, prepare, jobs_r, results_w)
            except BaseException:  # never a traceback from here: the parent reports
                code = 1
            finally:
                os._exit(code)
        os.close(jobs_r)
        os.close(results_w)
        return cls(pid, jobs_w, results_r)

    def submit(self, function: Callable[..., Any], *args: Any) -> None:
        """Queue ``function(*args)`` (a module-level function: it is sent by name)."""
        try:
            _send(self._jobs, pickle.dumps((function, args), pickle.HIGHEST_PROTOCOL))
        except OSError as exc:  # the child is gone
            raise WorkerLost(str(exc)) from None
        self._pending += 1

    def result(self) -> Any:
        """The answer to the oldest job not yet collected; its exception raised here."""
        if not self._pending:
            raise RuntimeError("no job submitted")
        self._pending -= 1
        data = _receive(self._results)
        if data is None:
            raise WorkerLost(f"worker process {self.pid} ended without an answer")
        try:
            ok, value, trace = pickle.loads(data)
        except Exception as exc:  # an exception class that does not rebuild from its args
            # The caller does the job itself, where the error shows as it is.
            raise WorkerLost(f"worker process {self.pid}: its answer does not load") from exc
        if ok:
            return value
        if isinstance(value, BaseException):
            value.add_note(f"in worker process {self.pid}:\n{trace}")
            raise value
        raise RuntimeError(str(value))

    def close(self) -> None:
        """Stop the child (whatever it is doing) and reap it."""
        if self.pid == 0:
            return
        for fd in (self._jobs, self._results):
            with suppress(OSError):
                os.close(fd)
        with suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.pid = 0

    def __enter__(self) -> Worker:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _serve(parent: int, prepare: Callable[[], object], jobs: int, results: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to report
    _die_with(parent)
    # Jobs are read as they come, whatever the child is doing: the parent may write a job
    # larger than the pipe's buffer while the child writes an answer larger than it; with both
    # writes waiting for a reader, neither would ever finish.
    inbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

    def read_ahead() -> None:
        while (data := _receive(jobs)) is not None:
            inbox.put(data)
        inbox.put(None)

    with suppress(Exception):  # a job meets the same problem and reports it
        prepare()  # first, single-threaded (the PDF import's shortcut needs that)
    threading.Thread(target=read_ahead, name=_READER, daemon=True).start()
    while (data := inbox.get()) is not None:
        try:
            function, args = pickle.loads(data)
            reply: tuple[bool, Any, str] = (True, function(*args), "")
        except Exception as exc:
            import traceback

            reply = (False, exc, traceback.format_exc())
        try:
            payload = pickle.dumps(reply, pickle.HIGHEST_PROTOCOL)
        except Exception:  # an exception that does not pickle: its text
            payload = pickle.dumps((False, f"{type(reply[1]).__name__}: {reply[1]}", reply[2]))
        _send(results, payload)


def _die_with(parent: int) -> None:
    """Ask Linux to kill this process when the parent ends (it may have ended already)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def _send(fd: int, data: bytes) -> None:
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _receive(fd: int) -> bytes | None:
    """One message; None at end of input (the other side closed or died)."""
    header = _read(fd, _HEADER.size)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    return _read(fd, size)


def _read(fd: int, size: int) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
