"""The machine a benchmark ran on, as printed lines (figures mean little without it)."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from pathlib import Path

import sqlalchemy as sa


def _first(path: str, prefix: str) -> str | None:
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith(prefix):
            return line.split(":", 1)[1].strip()
    return None


def describe(postgres_url: str | None = None) -> list[str]:
    """CPU model, cores, RAM, OS, Python, SQLite and (when a URL is given) PostgreSQL."""
    cpu = _first("/proc/cpuinfo", "model name") or platform.processor() or "unknown"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = _first("/proc/meminfo", "MemTotal")
    ram = f"{int(memory.split()[0]) / 1024**2:.1f} GiB" if memory else "unknown"
    lines = [
        f"CPU:        {cpu}",
        f"cores:      {usable} usable ({os.cpu_count()} online)",
        f"RAM:        {ram}",
        f"OS:         {platform.platform()}",
        f"Python:     {sys.version.split()[0]} ({platform.python_implementation()})",
        f"SQLite:     {sqlite3.sqlite_version}",
        f"SQLAlchemy: {sa.__version__}",
        f"load avg:   {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine)",
    ]
    if postgres_url:
        lines.append(f"PostgreSQL: {_postgres_version(postgres_url)}")
    return lines


def _postgres_version(url: str) -> str:
    from store import make_engine

    engine = make_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            return str(connection.exec_driver_sql("SHOW server_version").scalar())
    except sa.exc.SQLAlchemyError as exc:
        return f"unreachable ({type(exc).__name__})"
    finally:
        engine.dispose()
