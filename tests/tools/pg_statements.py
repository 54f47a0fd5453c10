"""Guard for ``@pytest.mark.one_database``: dropping a PostgreSQL variant loses no statement.

    python -m tests.tools.pg_statements [--unique] tests/integration/test_x.py ...

Runs the PostgreSQL variants of the given test files twice (``-m postgres -n 0``, needs
REGIE_TEST_POSTGRES_URL): with ``--every-database`` (before: every variant) and without
(after: the marked ones dropped). tests/tools/pg_spy/sitecustomize.py records each distinct,
normalised statement text run on PostgreSQL, in pytest and in the processes its tests start.
Per file, the statements of "after" must equal those of "before"; a difference is printed one
line per statement and the exit status is 1. The fixtures' CREATE/DROP DATABASE are left out:
they make every test's database, and a session's template goes with whichever test is last.
``--unique`` also lists, per test of "before", how many statements no other PostgreSQL test of
its file runs (a test with any keeps its PostgreSQL variant). ``--save``/``--before`` keep the
"before" run in a file and use it again.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from tests.tools.pg_normalise import normalise

ROOT = Path(__file__).resolve().parents[2]
HARNESS = re.compile(r"(CREATE|DROP) DATABASE ")
SPY = Path(__file__).resolve().parent / "pg_spy"

Statements = dict[str, set[str]]  # test node id → statements


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--unique", action="store_true", help="statements only one test runs")
    parser.add_argument("--save", type=Path, help="write the statements of 'before' here (JSON)")
    parser.add_argument("--before", type=Path, help="read 'before' from a --save file instead")
    parser.add_argument("--before-only", action="store_true", help="skip the run of 'after'")
    parser.add_argument("--save-after", type=Path, help="write the statements of 'after' here")
    args = parser.parse_args(argv)
    if not os.environ.get("REGIE_TEST_POSTGRES_URL"):
        print("REGIE_TEST_POSTGRES_URL is not set: the guard needs a PostgreSQL server")
        return 2
    if args.before:
        saved = json.loads(args.before.read_text(encoding="utf-8"))
        before: Statements | None = {test: _kept(texts) for test, texts in saved.items()}
    else:
        before = _record(args.files, every_database=True)
    if before is not None and args.save:
        _save(args.save, before)
    if args.before_only:
        if before is not None and args.unique:
            _print_unique(before)
        return 0 if before is not None else 1
    after = _record(args.files, every_database=False)
    if after is not None and args.save_after:
        _save(args.save_after, after)
    if before is None or after is None:
        return 1
    if args.unique:
        _print_unique(before)
    return _compare(args.files, before, after)


def _record(files: list[str], *, every_database: bool) -> Statements | None:
    with tempfile.TemporaryDirectory(prefix="pg_statements_") as folder:
        env = {
            **os.environ,
            "REGIE_PG_STATEMENTS": folder,
            "PYTHONPATH": os.pathsep.join(
                [str(SPY), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
        }
        command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "0"]
        command += ["-m", "postgres", "--durations=0", *files]
        if every_database:
            command.append("--every-database")
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        label = "before" if every_database else "after"
        summary = done.stdout.strip().splitlines()[-1:] or ["(no output)"]
        print(f"{label}: {summary[0]}")
        if done.returncode != 0:
            print(done.stdout[-4000:] + done.stderr[-2000:])
            return None
        lines: dict[str, list[str]] = defaultdict(list)
        for path in Path(folder).glob("*.tsv"):
            for line in path.read_text(encoding="utf-8").splitlines():
                test, _, statement = line.partition("\t")
                lines[test].append(statement)
        return {test: _kept(texts) for test, texts in lines.items()}


def _kept(texts: list[str]) -> set[str]:
    """Normalised (again: a saved file may predate a rule), the fixtures' own left out."""
    normalised = {normalise(text) for text in texts}
    return {text for text in normalised if not HARNESS.match(text)}


def _save(path: Path, statements: Statements) -> None:
    saved = {test: sorted(texts) for test, texts in statements.items()}
    path.write_text(json.dumps(saved, indent=1), encoding="utf-8")


def _per_file(statements: Statements) -> dict[str, set[str]]:
    files: dict[str, set[str]] = defaultdict(set)
    for test, texts in statements.items():
        if test:  # statements outside a test (none expected) belong to no file
            files[test.split("::", 1)[0]] |= texts
    return files


def _compare(files: list[str], before: Statements, after: Statements) -> int:
    old, new = _per_file(before), _per_file(after)
    asked = {Path(file).resolve().relative_to(ROOT).as_posix() for file in files}
    status = 0
    for file in sorted(asked):
        was, now = old.get(file, set()), new.get(file, set())
        tests = (
            sum(1 for t in before if t.startswith(file + "::")),
            sum(1 for t in after if t.startswith(file + "::")),
        )
        same = "same" if was == now else "DIFFERENT"
        print(
            f"{file}: {len(was)} statements in {tests[0]} PostgreSQL tests before, "
            f"{len(now)} in {tests[1]} after: {same}"
        )
        for text in sorted(was - now):
            print(f"  lost: {text[:300]}")
        for text in sorted(now - was):
            print(f"  new:  {text[:300]}")
        if was != now:
            status = 1
    return status


def _print_unique(before: Statements) -> None:
    by_file: dict[str, list[str]] = defaultdict(list)
    for test in before:
        if test:
            by_file[test.split("::", 1)[0]].append(test)
    for _, tests in sorted(by_file.items()):
        for test in sorted(tests):
            others = set().union(*(before[t] for t in tests if t != test))
            unique = before[test] - others
            print(f"unique {len(unique):4d} {test}")
            for text in sorted(unique)[:5]:
                print(f"         {text[:200]}")


if __name__ == "__main__":
    sys.exit(main())
