"""walk54 1: a due date moved by hand in the plan file, then ratified by the body.

``decision add --set-gereed`` after the edit (as the sync's warning advises) keeps the promise
the synced plan held as ``gereed_original``, also when the file already holds the new date, so
the progress report still lists the item as changed, promised against now. A decision that only
names the item (taken on or after the edit) ratifies the edit as it answers the agenda pack's
*…accorderen?*: progress layout 18 names it at the edit instead of *zonder besluit*; layout 17
is made again as built (its golden files were made by the code before walk54: main at eec5a49).
``REGIE_UPDATE_GOLDEN=1`` writes the current layout's files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli import ROOT
from tests.integration.layout_golden import made_at
from tests.integration.reports_scenario import migrated_app

EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
PROMISED = "            gereed: Q1-2027\n"  # 1.1.2's, in the example plan
EDITED = "            gereed: Q2-2027\n"
MEETING = date(2026, 10, 8)  # the stuurgroep's (second Thursday of the quarter)
AS_OF = date(2026, 11, 2)
PERIOD = (date(2026, 7, 1), date(2026, 12, 31))
LAYOUT_ONLY = pytest.mark.one_database("the documents' layout, from the md documents' SQL")
BY = "besluit Stuurgroep Schone Lucht, 8 oktober 2026"


def _app(
    tmp_path: Path,
    database_url: str,
    *,
    synced: bool = True,
    before: Callable[[App], object] | None = None,
    promised: str = PROMISED,
) -> App:
    """The example plan synced on 1 September, then 1.1.2's Q1-2027 edited to Q2-2027 by hand
    (``synced``: and synced on 1 October, at fixed times: the documents show no wall clock);
    ``before``: done before the edit; ``promised``: 1.1.2's line in the plan synced first."""
    from store import sync_plan

    home = tmp_path / "home"
    home.mkdir()
    plan_file = home / "actions.yaml"
    plan_file.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace(PROMISED, promised), encoding="utf-8"
    )
    app = migrated_app(home, database_url)
    with app.session() as session, session.begin():
        first = datetime(2026, 9, 1, 9, tzinfo=UTC)
        sync_plan(session, app.load_plan(), now=first, plan_path=str(plan_file))
    if before is not None:
        before(app)
    text = plan_file.read_text(encoding="utf-8")
    assert text.count(promised) == 1
    plan_file.write_text(text.replace(promised, EDITED), encoding="utf-8")
    if synced:
        with app.session() as session, session.begin():
            edit = datetime(2026, 10, 1, 9, tzinfo=UTC)
            sync_plan(session, app.load_plan(), now=edit, plan_path=str(plan_file))
    return app


def _row(app: App) -> str:
    """1.1.2's row under *Vertraagd of gewijzigd* in the report (Markdown), or its absence."""
    from regie.reports import voortgang

    made = voortgang(app, *PERIOD, AS_OF, "md", archive=False).content.decode()
    rows = [line for line in made.splitlines() if line.startswith("| 1.1.2 |")]
    return rows[0] if rows else ""


@pytest.mark.parametrize("synced", [True, False], ids=["edit-synced", "edit-not-synced"])
def test_set_gereed_after_a_hand_edit_keeps_the_synced_promise(
    tmp_path: Path, database_url: str, synced: bool
) -> None:
    from regie.decisions import add_decision

    app = _app(tmp_path, database_url, synced=synced)
    text = "Verschuiving 1.1.2 akkoord"
    add_decision(app, "stuurgroep", MEETING, text, item_id="1.1.2", set_gereed=("1.1.2", "Q2-2027"))
    plan_file = Path(app.settings.plan_path).read_text(encoding="utf-8")
    assert 'gereed: "Q2-2027"\n            gereed_original: "Q1-2027"\n' in plan_file
    plan = app.load_plan()
    item = next(m for m in plan.milestones() if m.id == "1.1.2")
    assert (item.original_gereed, item.revised_by) == ("Q1-2027", BY)
    # Listed as changed, promised against now, with the decision and without *zonder besluit*.
    assert _row(app) == f"| 1.1.2 | Sensoren geplaatst | Q1-2027 | Q2-2027 | {BY}: {text} |"


def test_set_gereed_to_another_date_after_a_hand_edit_keeps_the_first_promise(
    tmp_path: Path, database_url: str
) -> None:
    """The hand edit (Q2-2027) was never decided: the promise moved is Q1-2027."""
    from regie.decisions import add_decision

    app = _app(tmp_path, database_url)
    add_decision(app, "stuurgroep", MEETING, "Later", set_gereed=("1.1.2", "Q3-2027"))
    plan = app.load_plan()
    item = next(m for m in plan.milestones() if m.id == "1.1.2")
    assert (item.gereed, item.original_gereed) == ("Q3-2027", "Q1-2027")


def test_set_gereed_of_another_item_is_as_before(tmp_path: Path, database_url: str) -> None:
    from regie.decisions import add_decision

    app = _app(tmp_path, database_url)
    add_decision(app, "stuurgroep", MEETING, "Later", set_gereed=("1.1.1", "Q4-2026"))
    items = {m.id: m for m in app.load_plan().milestones()}
    assert (items["1.1.1"].original_gereed, items["1.1.2"].original_gereed) == ("Q3-2026", None)


def test_set_gereed_back_to_the_synced_promise_keeps_no_original(
    tmp_path: Path, database_url: str
) -> None:
    """The hand edit undone by the body: nothing moved, nothing original."""
    from regie.decisions import add_decision

    app = _app(tmp_path, database_url)
    add_decision(app, "stuurgroep", MEETING, "Toch niet", set_gereed=("1.1.2", "Q1-2027"))
    item = next(m for m in app.load_plan().milestones() if m.id == "1.1.2")
    assert (item.gereed, item.original_gereed) == ("Q1-2027", None)


def _made(app: App, monkeypatch: pytest.MonkeyPatch, layout: int, fmt: str) -> str:
    """The report at ``layout``, equal to its golden file and reproduced from the archive."""
    from regie.reports import voortgang

    name = f"voortgang_ratified_{PERIOD[0]}_{PERIOD[1]}_asof_{AS_OF}.layout{layout}.{fmt}"
    return made_at(app, monkeypatch, "voortgang", layout,
                   lambda: voortgang(app, *PERIOD, AS_OF, fmt), name)  # fmt: skip


@pytest.mark.parametrize("fmt", ["md", pytest.param("html", marks=LAYOUT_ONLY)])
def test_a_decision_naming_the_item_ratifies_the_edit(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    from governance.progress import LAYOUT
    from regie.decisions import add_decision

    assert LAYOUT >= 18
    app = _app(tmp_path, database_url)
    add_decision(app, "stuurgroep", MEETING, "Verschuiving 1.1.2 akkoord", item_id="1.1.2")
    new, old = (_made(app, monkeypatch, n, fmt) for n in (18, 17))
    edit = "Q1-2027 → Q2-2027 (vastgelegd op 1 oktober 2026"
    said = f"{BY}: Verschuiving 1.1.2 akkoord; datum gewijzigd in het plan: {edit}; bekrachtigd"
    assert f"{said} bij {BY})" in new
    assert "zonder besluit" not in new
    # Layout 17, made again as built: the decision and *zonder besluit* side by side.
    assert f"akkoord; datum gewijzigd in het plan zonder besluit: {edit})" in old


@pytest.mark.parametrize("fmt", ["md", pytest.param("html", marks=LAYOUT_ONLY)])
def test_the_ratifying_decision_is_named_once(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """walk55e 3: layout 19 names the decision once, in the edit it ratified, with its words;
    layout 18 (golden above) is made again naming it twice."""
    from governance.progress import RATIFIED_ONCE_FROM
    from regie.decisions import add_decision

    app = _app(tmp_path, database_url)
    add_decision(app, "stuurgroep", MEETING, "Verschuiving 1.1.2 akkoord", item_id="1.1.2")
    new, old = (_made(app, monkeypatch, n, fmt) for n in (RATIFIED_ONCE_FROM, 18))
    edit = "datum gewijzigd in het plan: Q1-2027 → Q2-2027 (vastgelegd op 1 oktober 2026"
    assert f"{edit}; bekrachtigd bij {BY}: Verschuiving 1.1.2 akkoord)" in new
    assert new.count(BY) == 1
    assert old.count(BY) == 2


def test_a_decision_before_the_edit_ratifies_nothing(tmp_path: Path, database_url: str) -> None:
    """As for the pack's *…accorderen?*: only a decision taken on or after the edit's day."""
    from regie.decisions import add_decision

    def earlier(app: App) -> None:
        add_decision(app, "stuurgroep", date(2026, 7, 9), "Eerder besproken", item_id="1.1.2")

    row = _row(_app(tmp_path, database_url, before=earlier))
    assert "Eerder besproken; datum gewijzigd in het plan zonder besluit: Q1-2027 → Q2-2027" in row
    assert "bekrachtigd" not in row


def test_set_gereed_after_a_hand_edit_of_an_idem_row_keeps_the_copied_promise(
    tmp_path: Path, database_url: str
) -> None:
    """review54 1: 1.1.2 copied 1.1.1's Q3-2026 (``idem``) in the synced plan; the file's row
    holds the hand-made Q2-2027 and copies nothing any more. The promise kept is Q3-2026."""
    from regie.decisions import add_decision

    app = _app(tmp_path, database_url, promised="            gereed: idem\n")
    text = "Verschuiving 1.1.2 akkoord"
    add_decision(app, "stuurgroep", MEETING, text, item_id="1.1.2", set_gereed=("1.1.2", "Q2-2027"))
    item = next(m for m in app.load_plan().milestones() if m.id == "1.1.2")
    assert (item.gereed, item.original_gereed, item.revised_by) == ("Q2-2027", "Q3-2026", BY)
    assert _row(app) == f"| 1.1.2 | Sensoren geplaatst | Q3-2026 | Q2-2027 | {BY}: {text} |"


def test_a_later_move_elsewhere_does_not_ratify_the_edit(tmp_path: Path, database_url: str) -> None:
    """review54 3: the body overrode the hand edit (Q2-2027) with Q3-2027: the report says so,
    neither *bekrachtigd* nor *zonder besluit*."""
    from regie.decisions import add_decision

    app = _app(tmp_path, database_url)
    add_decision(app, "stuurgroep", MEETING, "Later", set_gereed=("1.1.2", "Q3-2027"))
    row = _row(app)
    edit = "datum gewijzigd in het plan: Q1-2027 → Q2-2027 (vastgelegd op 1 oktober 2026"
    assert f"{edit}; daarna bijgesteld bij {BY})" in row, row
    assert "bekrachtigd" not in row and "zonder besluit" not in row


def test_a_cancel_does_not_ratify_the_edit(tmp_path: Path, database_url: str) -> None:
    """review54 3: dropping the item says nothing about the edit's date."""
    from regie.decisions import add_decision

    app = _app(tmp_path, database_url)
    add_decision(app, "stuurgroep", MEETING, "Vervalt", cancel="1.1.2")
    row = _row(app)
    assert "datum gewijzigd in het plan zonder besluit: Q1-2027 → Q2-2027" in row, row
    assert "bekrachtigd" not in row


def test_the_next_pack_and_the_list_say_ratified_not_restored(
    tmp_path: Path, database_url: str
) -> None:
    """review54 2: the set_gereed that ratified the hand edit (its before is the file's, the
    same date) is no *hersteld* in the next pack (agenda layout 19) nor "Q2-2027 → Q2-2027" in
    ``regie decision list``."""
    from regie.decisions import add_decision, decision_rows, decisions
    from regie.reports import agenda

    app = _app(tmp_path, database_url)
    add_decision(
        app, "stuurgroep", MEETING, "Akkoord", item_id="1.1.2", set_gereed=("1.1.2", "Q2-2027")
    )
    rows = decision_rows([(d, None) for d in decisions(app, None)], {})
    assert [r.effect for r in rows] == ["datum in het plan bekrachtigd: Q2-2027"]
    for fmt in ("md", "html"):
        made = agenda(app, "stuurgroep", date(2027, 1, 14), date(2027, 1, 4), fmt, archive=False)
        pack = " ".join(made.content.decode().split())
        assert "datum in het plan bekrachtigd: Q2-2027;" in pack
        assert "hersteld" not in pack
