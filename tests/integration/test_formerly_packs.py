"""A renumbering with ``formerly`` is one item, not a removal (walk55a 1): the example plan's
milestone 2.1.2 becomes 2.1.3 with ``formerly: "2.1.2"`` on 15 September 2026 (its history
carried over, ``regie.item.renumbered``). Agenda layout 20 and progress layout 19 name it once,
at the new number (*hernummerd (was 2.1.2)*), count it once and do not ask the body to accord
a removal; agenda layout 19 and progress layout 18 are made again as built (the removal
*zonder besluit*). Each document is archived and reproduced byte for byte; SQLite and
PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli import ROOT
from tests.integration.layout_golden import made_at, synced_at
from tests.integration.reports_scenario import migrated_app

EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
FIRST_SYNC = datetime(2026, 9, 1, 8, tzinfo=UTC)
RENUMBERED = datetime(2026, 9, 15, 8, tzinfo=UTC)
LATER = datetime(2026, 9, 22, 8, tzinfo=UTC)
MEETING, AS_OF = date(2026, 10, 8), date(2026, 10, 1)
OLD_ID = '          - id: "2.1.2"\n'
NEW_ID = '          - id: "2.1.3"\n            formerly: "2.1.2"\n'
REMOVAL = "Verwijdering van 2.1.2 uit het plan accorderen?"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    home = tmp_path / "home"
    home.mkdir()
    plan_file = home / "actions.yaml"
    shutil.copyfile(EXAMPLE, plan_file)
    app = migrated_app(home, database_url)
    synced_at(app, FIRST_SYNC)
    _edit(plan_file, OLD_ID, NEW_ID)
    synced_at(app, RENUMBERED)
    return app


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _pack(app: App, monkeypatch: pytest.MonkeyPatch, layout: int) -> str:
    from regie.reports import agenda

    return made_at(app, monkeypatch, "agenda", layout,
                   lambda: agenda(app, "stuurgroep", MEETING, AS_OF, "md"))  # fmt: skip


def _report(app: App, monkeypatch: pytest.MonkeyPatch, layout: int) -> str:
    from regie.reports import voortgang

    year = (date(2026, 1, 1), date(2026, 12, 31))
    return made_at(app, monkeypatch, "voortgang", layout,
                   lambda: voortgang(app, *year, AS_OF, "md"))  # fmt: skip


def test_the_pack_names_the_renumbering_once_and_asks_no_removal(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie.report_build import AGENDA_LAYOUT, AGENDA_RENUMBERED_FROM

    assert AGENDA_LAYOUT >= AGENDA_RENUMBERED_FROM == 20
    new, old = _pack(app, monkeypatch, 20), _pack(app, monkeypatch, 19)
    assert REMOVAL not in new and "2.1.2 | Invoering | uit het plan verwijderd" not in new
    assert "| 2.1.3 | Invoering | hernummerd (was 2.1.2; vastgelegd op 15-09-2026) |" in new
    assert "2.1.3 | Invoering | nieuw in het plan" not in new
    assert "1 hernummerd" in new and "uit het plan verwijderd" not in new
    # Layout 19 as built: the old number's removal put to the body, the new one as added.
    assert REMOVAL in old and "uit het plan verwijderd zonder besluit" in old
    assert "hernummerd" not in old


def test_the_pack_knows_the_renumbering_once_formerly_left_the_file(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/plan-schema.md: ``formerly`` may be removed after the sync that carried the history;
    the renumbering is read from the store's record, so 2.1.3 is not asked as an addition (its
    title changed too: no longer the same title as 2.1.2's, which alone reads as renumbered)."""
    plan_file = Path(app.settings.plan_path)
    _edit(plan_file, NEW_ID, '          - id: "2.1.3"\n')
    _edit(plan_file, "            title: Invoering\n", "            title: Invoering zones\n")
    synced_at(app, LATER)
    new = _pack(app, monkeypatch, 20)
    assert "| 2.1.3 | Invoering zones | hernummerd (was 2.1.2; vastgelegd op 15-09-2026) |" in new
    assert REMOVAL not in new
    assert "Toevoeging van 2.1.3" not in new and "nieuw in het plan" not in new


def test_the_report_counts_the_renumbered_item_once(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from governance.progress import LAYOUT, RENUMBERED_FROM

    assert LAYOUT >= RENUMBERED_FROM == 19
    new, old = _report(app, monkeypatch, 19), _report(app, monkeypatch, 18)
    assert "uit het plan verwijderd" not in new and "| 2.1.2 |" not in new
    assert "2.1.3 Invoering" in new and "hernummerd (was 2.1.2)" in new
    # Layout 18 as built: 2.1.2 removed without a decision and counted beside 2.1.3.
    assert "| 2.1.2 | Invoering |" in old and "uit het plan verwijderd zonder besluit" in old
    assert "hernummerd" not in old
    assert _step_count(new, 2) == _step_count(old, 2) - 1


@pytest.fixture
def restored_app(tmp_path: Path, database_url: str) -> App:
    """2.1.2 renamed 2.1.9 on 8 September (a plain removal), renamed back on 10 September (2.1.2
    restored), then renumbered 2.1.3 with ``formerly`` on 15 September (review55b 4)."""
    home = tmp_path / "home"
    home.mkdir()
    plan_file = home / "actions.yaml"
    shutil.copyfile(EXAMPLE, plan_file)
    app = migrated_app(home, database_url)
    synced_at(app, FIRST_SYNC)
    _edit(plan_file, OLD_ID, '          - id: "2.1.9"\n')
    synced_at(app, datetime(2026, 9, 8, 8, tzinfo=UTC))
    _edit(plan_file, '          - id: "2.1.9"\n', OLD_ID)
    synced_at(app, datetime(2026, 9, 10, 8, tzinfo=UTC))
    _edit(plan_file, OLD_ID, NEW_ID)
    synced_at(app, RENUMBERED)
    return app


def test_only_the_archive_the_renumbering_made_is_a_renumbering(
    restored_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The removal of 8 September, which the restore of 10 September undid, stays a removal:
    the pack and the report do not say *terug in het plan* without it."""
    from store import agenda_read
    from store.dialect import reader

    with restored_app.session() as session:
        revisions, _ = agenda_read.item_revisions(
            reader(session), restored_app.programme_id(), None, renumbered=True
        )
    archives = [(r.recorded_at.day, r.renumbered_to) for r in revisions
                if r.item_id == "2.1.2" and r.kind == "archived"]  # fmt: skip
    assert archives == [(8, None), (15, "2.1.3")]
    pack = _pack(restored_app, monkeypatch, 20)
    removed = "uit het plan verwijderd zonder besluit (vastgelegd op 08-09-2026)"
    assert f"| 2.1.2 | Invoering | {removed} |" in pack
    assert "| 2.1.2 | Invoering | terug in het plan (vastgelegd op 10-09-2026) |" in pack
    assert "| 2.1.3 | Invoering | hernummerd (was 2.1.2; vastgelegd op 15-09-2026) |" in pack
    assert REMOVAL not in pack  # restored since: nothing to accord
    # The report lists only removals not undone: 2.1.2 was back before it was renumbered.
    report = _report(restored_app, monkeypatch, 19)
    assert "| 2.1.2 |" not in report and "hernummerd (was 2.1.2)" in report


def _step_count(report: str, step: int) -> int:
    """The summary's *Punten* of ``step``."""
    cell = report.split(f"| {step}. ", 1)[1].split(" | ")[1]
    return int(cell)


def test_the_reports_read_the_event_the_sync_records() -> None:
    from store.agenda_read import RENUMBERED_EVENT as READ
    from store.sync_formerly import RENUMBERED_EVENT as RECORDED

    assert READ == RECORDED
