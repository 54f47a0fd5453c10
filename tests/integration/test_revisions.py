"""The store reads migration revisions without Alembic; Alembic must agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from store import db
from store.db import MigrationError, alembic_config, head_revision


def test_head_revision_is_alembics_head() -> None:
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def _version(directory: Path, revision: str, down: str | None, *, annotated: bool = True) -> None:
    kind = ": str" if annotated else ""
    (directory / f"{revision}_x.py").write_text(
        f'"""Revision {revision}."""\nrevision{kind} = "{revision}"\ndown_revision = {down!r}\n'
    )


def test_head_revision_follows_the_chain_and_refuses_two_heads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    monkeypatch.setattr(db, "MIGRATIONS_DIR", tmp_path)
    _version(versions, "a1", None)
    _version(versions, "b2", "a1", annotated=False)
    _version(versions, "c3", "b2")
    assert head_revision() == "c3"
    _version(versions, "d4", "b2")  # a branch: two heads
    with pytest.raises(MigrationError, match=r"\['c3', 'd4'\]"):
        head_revision()
    (versions / "e5_merge.py").write_text('revision = "e5"\ndown_revision = ("c3", "d4")\n')
    assert head_revision() == "e5"
