"""Which programmes a PostgreSQL dump holds, for `regie db restore DUMP --record-only`: a dump
of another programme recorded as this database's restore would put an untrue line in its audit
log (walk56c 1, fix57c 2).

The table ``programmes`` is read, nothing else: from an archive (pg_dump's custom, directory or
tar format) with ``pg_restore --data-only --table=programmes --file=-``, which prints that
table's ``COPY`` block only (the archive's other data is not decompressed); from a plain SQL
dump by scanning for the same block. None when it cannot be told: no ``pg_restore`` on the
PATH, a file it does not read, a dump without the table's rows (``--inserts``), or a read
that takes longer than :data:`TIMEOUT_SECONDS`.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

#: How long ``pg_restore`` may take to print one small table.
TIMEOUT_SECONDS = 60
#: How a plain SQL dump made by pg_dump starts.
_PLAIN_DUMP = b"--\n-- PostgreSQL database dump"
#: How an archive in pg_dump's custom format starts.
_CUSTOM_DUMP = b"PGDMP"


def dump_programmes(source: Path) -> list[str] | None:
    """Every programme id the dump ``source`` holds, in file order; None when not known."""
    try:
        if source.is_dir():
            return _from_archive(source)
        with open(source, "rb") as f:
            head = f.read(len(_PLAIN_DUMP))
    except OSError:
        return None
    if head.startswith(_PLAIN_DUMP):
        return _from_plain(source)
    if head.startswith(_CUSTOM_DUMP) or source.suffix == ".tar":
        return _from_archive(source)
    return None


def _from_archive(source: Path) -> list[str] | None:
    program = shutil.which("pg_restore")
    if program is None:
        return None
    try:
        done = subprocess.run(  # a fixed program; the file is one argument
            [program, "--data-only", "--table=programmes", "--file=-", str(source)],
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return copied_ids(done.stdout.decode("utf-8", "replace").splitlines())


def _from_plain(source: Path) -> list[str] | None:
    try:
        with open(source, encoding="utf-8", errors="replace") as lines:
            return copied_ids(line.rstrip("\n") for line in lines)
    except OSError:
        return None


def copied_ids(lines: Iterable[str]) -> list[str] | None:
    """The ``id`` column of the ``COPY … programmes (…) FROM stdin;`` block among ``lines``
    (pg_dump's text format: tab-separated, ended by ``\\.``); None without such a block."""
    found: list[str] | None = None
    column = 0
    for line in lines:
        if found is None:
            head = line.split(" (", 1)
            if (
                line.startswith("COPY ")
                and head[0].removeprefix("COPY ").split(".")[-1].strip('"') == "programmes"
            ):
                columns = [c.strip().strip('"') for c in head[1].split(")", 1)[0].split(",")]
                if "id" not in columns:
                    return None
                column, found = columns.index("id"), []
            continue
        if line == "\\.":
            return found
        fields = line.split("\t")
        if len(fields) > column:
            found.append(fields[column])
    return found
