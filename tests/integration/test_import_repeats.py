"""A corrected copy of an imported sheet, imported again (walk56a 4, 9): the rows already on
record for that item and day are skipped and named in one line (also one its owner corrected
since: review56 1), a changed row corrects the
earlier import's update of the same day and contact while that update still sets the item's
state (as an owner's *Wijzigen*), and a file imported before is named as such before any row
is checked. The answers test plan ("wegen-test"), SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.updates import StatusUpdate
from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import link_app
from tests.integration.test_formerly import _env

DAY = "2025-06-02"
HEADER = "item;status;forecast;completed_on;note;contact\n"
ROWS = (
    "1.1.1;risico;2025-09-01;;Gemeente reageert traag;anna\n"  # line 2
    "1.1.2;gereed;;2025-05-30;Klaar;anna\n"  # line 3
    "1.2;op schema;;;Loopt;bram\n"  # line 4
)
#: The same sheet with 1.2's forecast filled in: only line 4 changed.
FIXED = ROWS.replace("1.2;op schema;;;Loopt;bram", "1.2;op schema;2025-12-01;;Loopt;bram")


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    plan = tmp_path / "plan.yaml"
    plan.write_text(ANSWERS_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    app = link_app(migrated_url, tmp_path / "home", plan)
    assert regie("sync", env=_env(app)).code == 0
    return app


def _sheet(tmp_path: Path, name: str, rows: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def _import(app: App, path: Path, *args: str) -> tuple[int, str, str]:
    done = regie("import-updates", str(path), *args, env=_env(app))
    return done.code, done.out, done.err


def _history(app: App, item: str) -> list[StatusUpdate]:
    from store import Repository

    with app.session() as session:
        return Repository(session, app.programme_id()).status_updates(item=item)


def test_a_corrected_copy_records_only_its_changed_row_as_a_correction(
    app: App, tmp_path: Path
) -> None:
    code, out, err = _import(app, _sheet(tmp_path, "juni.csv", ROWS), "--as-of", DAY)
    assert code == 0, err
    first = {i: _history(app, i)[-1].id for i in ("1.1.1", "1.1.2", "1.2")}

    code, out, err = _import(app, _sheet(tmp_path, "juni-fix.csv", FIXED), "--as-of", DAY)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].endswith(f"juni-fix.csv: 1 update recorded for {DAY}")
    assert (
        f"skipped 2 rows already recorded for {DAY} (same contact, status, dates and note): "
        f"line 2 as update {first['1.1.1']} (import 1, juni.csv), "
        f"line 3 as update {first['1.1.2']} (import 1, juni.csv)"
    ) in lines
    assert (
        "changed since an earlier import of the same day and contact: "
        f"line 4 (1.2) corrects update {first['1.2']} (import 1, juni.csv)"
    ) in lines
    assert [u.id for u in _history(app, "1.1.1")] == [first["1.1.1"]]  # not recorded twice
    assert [u.id for u in _history(app, "1.1.2")] == [first["1.1.2"]]
    old, new = _history(app, "1.2")
    assert old.id == first["1.2"] and new.corrects == old.id  # append-only: both on record
    assert str(new.forecast) == "2025-12-01"


def test_a_changed_row_with_a_later_update_is_a_new_update(app: App, tmp_path: Path) -> None:
    assert _import(app, _sheet(tmp_path, "juni.csv", ROWS), "--as-of", DAY)[0] == 0
    earlier = _history(app, "1.2")[-1].id
    later = regie("update", "1.2", "-s", "at_risk", "--comment", "Vertraagd", "--author", "bram",
                  "--as-of", "2025-06-09", env=_env(app))  # fmt: skip
    assert later.code == 0, later.err
    latest = _history(app, "1.2")[-1].id

    code, out, err = _import(app, _sheet(tmp_path, "juni-fix.csv", FIXED), "--as-of", DAY)
    assert code == 0, err
    assert (
        "recorded as new updates, not corrections: line 4 (1.2) changes update "
        f"{earlier} (import 1, juni.csv), but update {latest} (2025-06-09) came after it"
    ) in out.splitlines()
    assert _history(app, "1.2")[1].corrects is None


def test_an_unchanged_row_the_owner_corrected_since_is_skipped_naming_the_correction(
    app: App, tmp_path: Path
) -> None:
    """review56 1: the corrected copy's unchanged row does not overrule the owner's correction
    of what the first import recorded from it."""
    assert _import(app, _sheet(tmp_path, "juni.csv", ROWS), "--as-of", DAY)[0] == 0
    (imported,) = _history(app, "1.1.1")
    fixed = regie("update", "1.1.1", "-s", "at_risk", "--forecast", "2025-10-15", "--corrects",
                  str(imported.id), "--author", "anna", "--comment", "Toch later", "--as-of",
                  DAY, env=_env(app))  # fmt: skip
    assert fixed.code == 0, fixed.err
    corrected = _history(app, "1.1.1")[-1]

    code, out, err = _import(app, _sheet(tmp_path, "juni-fix.csv", FIXED), "--as-of", DAY)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].endswith(f"juni-fix.csv: 1 update recorded for {DAY}")  # line 4 only
    assert (
        f"skipped 2 rows already recorded for {DAY} (same contact, status, dates and note): "
        f"line 2 as update {imported.id} (import 1, juni.csv), since corrected by update "
        f"{corrected.id}, line 3 as update {_history(app, '1.1.2')[0].id} (import 1, juni.csv)"
    ) in lines
    assert _history(app, "1.1.1") == [imported, corrected]  # the owner's date still stands
    assert str(corrected.forecast) == "2025-10-15" and corrected.corrects == imported.id


def test_a_copy_with_no_changed_row_records_nothing(app: App, tmp_path: Path) -> None:
    assert _import(app, _sheet(tmp_path, "juni.csv", ROWS), "--as-of", DAY)[0] == 0
    again = _sheet(tmp_path, "juni-kopie.csv", ROWS.replace("Klaar;anna", "Klaar;anna "))
    again.write_text(again.read_text(encoding="utf-8") + "2.1;;;;;\n", encoding="utf-8")
    code, out, err = _import(app, again, "--as-of", DAY)
    assert code == 0, err
    first, skipped = out.splitlines()
    assert first == f"{again}: nothing recorded for {DAY}; 1 row without an answer skipped"
    assert skipped.startswith(f"skipped 3 rows already recorded for {DAY}")
    assert len(_history(app, "1.2")) == 1
    # Another day is another answer: recorded.
    code, out, err = _import(app, again, "--as-of", "2025-06-03")
    assert code == 0 and "3 updates recorded for 2025-06-03" in out, (out, err)


def test_a_file_imported_before_is_named_before_its_rows_are_checked(
    app: App, tmp_path: Path
) -> None:
    sheet = _sheet(tmp_path, "juni.csv", ROWS)
    assert _import(app, sheet, "--as-of", DAY)[0] == 0
    # Without --as-of the rows count for today: 1.1.1's forecast would be in the past.
    code, _, err = _import(app, sheet)
    assert code == 2
    (line,) = err.strip().splitlines()  # one line: no row's problem before it
    assert line.startswith(f"{sheet}: the same content was imported before as import 1 ")
    assert "(juni.csv, for 2025-06-02" in line
    # With --again the rows are checked (and the forecast is refused) as for a new file.
    code, _, err = _import(app, sheet, "--again")
    assert code == 2 and f"{sheet}:2: forecast: 2025-09-01 is before" in err, err
