"""sync_plan on SQLite and PostgreSQL: created, changed, archived, restored, moved, rolled back."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from governance.plan import Milestone, Plan
from governance.planfile.load import load_plan
from governance.updates import StatusUpdate, UpdateStatus
from store import (
    Repository,
    SyncError,
    SyncResult,
    make_engine,
    sync_plan,
    upgrade,
)
from store.models import Base, MilestoneRow, PlanRevisionRow
from store.sync_fields import ProgrammeElsewhere
from tests.integration.store_plans import (
    T0,
    autumn,
    drop_milestone,
    edit_action,
    edit_milestone,
    make_sample_plan,
    move_milestone,
    quarter,
)
from tests.integration.store_reads import stored_items

T1 = T0 + timedelta(days=7)
# programme + 3 organisations + 1 contact + 2 steps + 3 actions + 3 milestones
SAMPLE_ENTITIES = 13


def _sync_and_commit(
    session: Session, plan: Plan, now: datetime = T0, *, add_programme: bool = False
) -> SyncResult:
    result = sync_plan(session, plan, now=now, add_programme=add_programme)
    session.commit()
    return result


def _snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, for before/after comparisons."""
    out = {}
    for name, table in Base.metadata.tables.items():
        order = [c for c in table.primary_key.columns]
        out[name] = [tuple(r) for r in session.execute(sa.select(table).order_by(*order))]
    return out


def test_first_sync_creates_everything(session: Session, sample_plan: Plan) -> None:
    result = _sync_and_commit(session, sample_plan)

    assert result.created == SAMPLE_ENTITIES
    assert result.describe() == f"{SAMPLE_ENTITIES} created"
    assert (result.changed_count, result.archived, result.restored, result.unchanged) == (
        0,
        0,
        0,
        0,
    )
    assert result.changed
    assert {r.kind for r in result.revisions} == {"created"}
    assert len(result.revisions) == SAMPLE_ENTITIES
    assert all(r.plan_path == "plan/test.yaml" and r.id is not None for r in result.revisions)
    created = {(r.entity, r.code) for r in result.revisions}
    assert ("milestone", "1.1.2") in created and ("contact", "jdevries") in created

    assert Repository(session, "mvi-test").programme_exists()
    items = stored_items(session, "mvi-test")
    assert [i.item_id for i in items] == ["1.1", "1.1.1", "1.1.2", "1.2", "2.1", "2.1.1"]
    by_code = {i.item_id: i for i in items}
    assert by_code["1.1.2"].period == quarter(2015, 4)
    assert by_code["1.1.2"].action_id == "1.1"
    assert by_code["2.1"].depends_on == ("1.2",)
    assert by_code["2.1"].owners == ("PIANOo", "IenM")


def test_second_sync_with_the_same_plan_records_nothing(
    session: Session, sample_plan: Plan
) -> None:
    _sync_and_commit(session, sample_plan)
    before = _snapshot(session)

    result = _sync_and_commit(session, sample_plan, now=T1)

    assert not result.changed
    assert result.describe() == "in sync"
    assert result.revisions == []
    assert result.unchanged == SAMPLE_ENTITIES
    assert result.created == result.changed_count == result.archived == result.restored == 0
    assert _snapshot(session) == before  # no updated_at moved, no revision row added


@pytest.mark.parametrize(
    ("edit", "entity", "code", "field", "before", "after"),
    [
        (
            lambda p: edit_action(p, "1.2", title="Monitor MVI 2.0"),
            "action", "1.2", "title", "Monitor MVI", "Monitor MVI 2.0",
        ),
        (
            lambda p: edit_action(p, "2.1", owners=("PIANOo",)),
            "action", "2.1", "owners", ["PIANOo", "IenM"], ["PIANOo"],
        ),
        (
            lambda p: edit_action(p, "2.1", depends_on=("1.1", "1.2")),
            "action", "2.1", "depends_on", ["1.2"], ["1.1", "1.2"],
        ),
        (
            lambda p: edit_action(p, "2.1", note=None),
            "action", "2.1", "note", "eigenaar uit H3", None,
        ),
        (
            lambda p: edit_action(p, "1.1", group="Kennis"),
            "action", "1.1", "group", "Inzicht", "Kennis",
        ),
        (
            lambda p: edit_milestone(p, "1.1.1", owners=("RIVM", "IenM")),
            "milestone", "1.1.1", "owners", ["RIVM"], ["RIVM", "IenM"],
        ),
        (
            lambda p: dataclasses.replace(
                p, programme=dataclasses.replace(p.programme, end=date(2020, 12, 31))
            ),
            "programme", "mvi-test", "end", None, "2020-12-31",
        ),
    ],
)  # fmt: skip
def test_one_field_change_records_one_revision(
    session: Session,
    sample_plan: Plan,
    edit: Any,
    entity: str,
    code: str,
    field: str,
    before: Any,
    after: Any,
) -> None:
    _sync_and_commit(session, sample_plan)

    result = _sync_and_commit(session, edit(sample_plan), now=T1)

    assert [(r.entity, r.code, r.kind, r.field, r.before, r.after) for r in result.revisions] == [
        (entity, code, "changed", field, before, after)
    ]
    assert result.revisions[0].recorded_at == T1
    assert result.changed_count == 1
    assert result.unchanged == SAMPLE_ENTITIES - 1
    stored = Repository(session, "mvi-test").revisions(entity=entity, code=code)
    assert [(r.kind, r.field) for r in stored] == [("created", None), ("changed", field)]
    assert stored[-1].after == after


def test_gereed_change_records_gereed_and_period(session: Session, sample_plan: Plan) -> None:
    _sync_and_commit(session, sample_plan)
    q1 = quarter(2016, 1)

    result = _sync_and_commit(
        session, edit_milestone(sample_plan, "1.1.2", gereed=q1.text, period=q1), now=T1
    )

    changes = {r.field: (r.before, r.after) for r in result.revisions}
    assert changes == {
        "gereed": ("Q4-2015", "Q1-2016"),
        "period": (
            {"kind": "quarter", "start": "2015-10-01", "end": "2015-12-31"},
            {"kind": "quarter", "start": "2016-01-01", "end": "2016-03-31"},
        ),
    }
    item = {i.item_id: i for i in stored_items(session, "mvi-test")}["1.1.2"]
    assert (item.gereed, item.period) == ("Q1-2016", q1)
    updated = session.scalars(sa.select(MilestoneRow.updated_at).order_by(MilestoneRow.code))
    assert list(updated) == [T0, T1, T0]  # only 1.1.2 was touched


def test_reordering_actions_records_positions(session: Session, sample_plan: Plan) -> None:
    _sync_and_commit(session, sample_plan)
    step1 = sample_plan.steps[0]
    swapped = dataclasses.replace(step1, actions=tuple(reversed(step1.actions)))
    plan = dataclasses.replace(sample_plan, steps=(swapped, *sample_plan.steps[1:]))

    result = _sync_and_commit(session, plan, now=T1)

    assert sorted((r.code, r.field, r.before, r.after) for r in result.revisions) == [
        ("1.1", "position", 0, 1),
        ("1.2", "position", 1, 0),
    ]
    assert [i.item_id for i in stored_items(session, "mvi-test")][:3] == [
        "1.2",
        "1.1",
        "1.1.1",
    ]


def test_positions_shifted_by_a_removal_are_renumbered_without_revisions(
    session: Session, sample_plan: Plan
) -> None:
    _sync_and_commit(session, sample_plan)

    result = _sync_and_commit(session, drop_milestone(sample_plan, "1.1.1"), now=T1)

    assert [(r.code, r.kind) for r in result.revisions] == [("1.1.1", "archived")]
    row = session.scalars(sa.select(MilestoneRow).where(MilestoneRow.code == "1.1.2")).one()
    assert (row.position, row.updated_at) == (0, T0)
    assert not _sync_and_commit(session, drop_milestone(sample_plan, "1.1.1"), now=T1).changed


def test_removed_milestone_is_archived_with_its_history_and_restored_later(
    session: Session, sample_plan: Plan
) -> None:
    _sync_and_commit(session, sample_plan)
    repo = Repository(session, "mvi-test")
    update = repo.add_status_update(
        StatusUpdate("1.1.1", UpdateStatus.AT_RISK, date(2015, 9, 2), comment="vertraagd")
    )
    session.commit()

    result = _sync_and_commit(session, drop_milestone(sample_plan, "1.1.1"), now=T1)

    assert [(r.entity, r.code, r.kind) for r in result.revisions] == [
        ("milestone", "1.1.1", "archived")
    ]
    assert (result.archived, result.unchanged) == (1, SAMPLE_ENTITIES - 1)
    row = session.scalars(sa.select(MilestoneRow).where(MilestoneRow.code == "1.1.1")).one()
    assert row.archived_at == T1
    assert "1.1.1" not in {i.item_id for i in stored_items(session, repo.programme_id)}
    assert repo.status_updates() == [update]

    again = _sync_and_commit(session, drop_milestone(sample_plan, "1.1.1"), now=T1)
    assert not again.changed  # already archived: nothing more to record

    restored = _sync_and_commit(session, sample_plan, now=T1 + timedelta(days=1))
    assert [(r.code, r.kind) for r in restored.revisions] == [("1.1.1", "restored")]
    assert restored.restored == 1
    session.refresh(row)
    assert row.archived_at is None
    assert "1.1.1" in {i.item_id for i in stored_items(session, repo.programme_id)}
    assert repo.status_updates() == [update]


def test_restored_item_with_changes_records_both(session: Session, sample_plan: Plan) -> None:
    _sync_and_commit(session, sample_plan)
    _sync_and_commit(session, drop_milestone(sample_plan, "2.1.1"), now=T1)

    back = edit_milestone(sample_plan, "2.1.1", title="Ambitie herijkt")
    result = _sync_and_commit(session, back, now=T1 + timedelta(days=1))

    assert [(r.kind, r.field) for r in result.revisions] == [
        ("restored", None),
        ("changed", "title"),
    ]
    assert (result.restored, result.changed_count) == (1, 0)
    assert result.describe() == "1 restored"


def test_removed_action_archives_its_milestones(session: Session, sample_plan: Plan) -> None:
    _sync_and_commit(session, sample_plan)
    step2 = dataclasses.replace(sample_plan.steps[1], actions=())

    result = _sync_and_commit(
        session, dataclasses.replace(sample_plan, steps=(sample_plan.steps[0], step2)), now=T1
    )

    assert sorted((r.entity, r.code, r.kind) for r in result.revisions) == [
        ("action", "2.1", "archived"),
        ("milestone", "2.1.1", "archived"),
    ]


def test_moved_milestone_keeps_its_row_and_history(session: Session, sample_plan: Plan) -> None:
    _sync_and_commit(session, sample_plan)
    repo = Repository(session, "mvi-test")
    repo.add_status_update(StatusUpdate("1.1.2", UpdateStatus.ON_TRACK, date(2015, 9, 3)))
    session.commit()
    row_id = session.scalars(sa.select(MilestoneRow.id).where(MilestoneRow.code == "1.1.2")).one()

    result = _sync_and_commit(session, move_milestone(sample_plan, "1.1.2", "1.2"), now=T1)

    assert [(r.code, r.kind, r.field, r.before, r.after) for r in result.revisions] == [
        ("1.1.2", "changed", "action", "1.1", "1.2")
    ]
    moved = session.scalars(sa.select(MilestoneRow).where(MilestoneRow.code == "1.1.2")).one()
    assert moved.id == row_id
    assert moved.archived_at is None
    item = {i.item_id: i for i in stored_items(session, repo.programme_id)}["1.1.2"]
    assert item.action_id == "1.2"
    assert [u.item_id for u in repo.status_updates()] == ["1.1.2"]


def test_failing_sync_leaves_the_database_unchanged(session: Session, sample_plan: Plan) -> None:
    _sync_and_commit(session, sample_plan)
    before = _snapshot(session)
    # Many changes, then a duplicate milestone code: the error comes after actions were written.
    broken = edit_action(sample_plan, "1.2", title="Nieuw")
    broken = drop_milestone(broken, "2.1.1")
    dup = dataclasses.replace(next(broken.milestones()), title="dubbel")
    broken = edit_action(broken, "2.1", milestones=(dup,))

    with pytest.raises(SyncError, match=r"duplicate milestone '1\.1\.1'"):
        sync_plan(session, broken, now=T1)
    session.rollback()

    assert _snapshot(session) == before


def test_sync_does_not_commit(engine: sa.Engine, sample_plan: Plan) -> None:
    with Session(engine) as session:
        sync_plan(session, sample_plan, now=T0)
        session.rollback()
    with Session(engine) as session:
        assert not Repository(session, "mvi-test").programme_exists()
        assert session.scalar(sa.select(sa.func.count()).select_from(PlanRevisionRow)) == 0


def test_naive_now_is_refused(session: Session, sample_plan: Plan) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        sync_plan(session, sample_plan, now=T0.replace(tzinfo=None))


def test_programmes_are_independent(session: Session) -> None:
    a, b = make_sample_plan("prog-a"), make_sample_plan("prog-b")
    _sync_and_commit(session, a)
    _sync_and_commit(session, b, add_programme=True)  # a database shared on purpose

    result = _sync_and_commit(session, drop_milestone(a, "1.1.1"), now=T1)

    assert [(r.code, r.kind) for r in result.revisions] == [("1.1.1", "archived")]
    assert "1.1.1" in {i.item_id for i in stored_items(session, "prog-b")}
    assert "1.1.1" not in {i.item_id for i in stored_items(session, "prog-a")}


def test_a_programme_joins_a_database_holding_others_only_when_told(session: Session) -> None:
    """The other installation's plan or database (walk56c 1): refused before anything is
    written; ``add_programme`` adds it; a new database takes its first programme untold."""
    _sync_and_commit(session, make_sample_plan("prog-a"))
    before = _snapshot(session)
    with pytest.raises(ProgrammeElsewhere) as refused:
        sync_plan(session, make_sample_plan("prog-b"), now=T1)
    session.rollback()
    assert (refused.value.programme_id, refused.value.stored) == ("prog-b", ["prog-a"])
    assert _snapshot(session) == before
    _sync_and_commit(session, make_sample_plan("prog-b"), now=T1, add_programme=True)
    again = _sync_and_commit(session, make_sample_plan("prog-b"), now=T1)  # stored: no question
    assert not again.changed


SEED_PLAN = Path(__file__).resolve().parents[2] / "plan" / "actions.yaml"


def test_seed_plan_syncs_and_resyncs_as_a_no_op(session: Session) -> None:
    plan = load_plan(SEED_PLAN)

    first = _sync_and_commit(session, plan)
    second = _sync_and_commit(session, plan, now=T1)

    assert first.created > len(plan.deadlines()) > 0
    assert not second.changed
    codes = {i.item_id for i in stored_items(session, plan.programme.id)}
    assert {d.item_id for d in plan.deadlines()} <= codes


# --- property: whatever sequence of plans is synced, the store mirrors the latest one ---------

_ACTIONS = {"1.1": 1, "1.2": 1, "2.1": 2}
_PERIODS = [None, quarter(2015, 3), quarter(2016, 1), autumn(2015)]
_MILESTONE_CODES = ["1.1.1", "1.1.2", "1.1.3", "1.2.1", "2.1.1", "2.1.2"]


@st.composite
def _plans(draw: st.DrawFn) -> Plan:
    """The sample plan's skeleton with milestones that come, go, move, retitle and reorder."""
    base = make_sample_plan()
    codes = draw(st.lists(st.sampled_from(_MILESTONE_CODES), unique=True))
    milestones: dict[str, list[Milestone]] = {code: [] for code in _ACTIONS}
    for code in codes:
        action = draw(st.sampled_from(sorted(_ACTIONS)))
        period = draw(st.sampled_from(_PERIODS))
        owners = tuple(draw(st.lists(st.sampled_from(["IenM", "RIVM"]), min_size=1, unique=True)))
        title = draw(st.sampled_from(["Start", "Besluit", "Rapport"]))
        gereed = period.text if period else None
        milestones[action].append(Milestone(code, action, title, gereed, period, owners))
    plan = base
    for action_code, ms in milestones.items():
        plan = edit_action(plan, action_code, milestones=tuple(ms))
    if draw(st.booleans()):
        plan = edit_action(plan, "1.2", title=draw(st.sampled_from(["Monitor", "Meting"])))
    return plan


def _expected_items(plan: Plan) -> list[tuple[str, str, str, Any]]:
    out = []
    for action in plan.actions():
        out.append((action.id, action.id, action.title, action.period))
        out.extend((m.id, action.id, m.title, m.period) for m in action.milestones)
    return out


@settings(max_examples=30, deadline=None)
@given(plans=st.lists(_plans(), min_size=1, max_size=4))
def test_store_mirrors_the_latest_plan_after_any_sequence_of_syncs(
    tmp_path_factory: pytest.TempPathFactory, plans: list[Plan]
) -> None:
    url = f"sqlite:///{tmp_path_factory.mktemp('prop') / 'regie.db'}"
    upgrade(url)
    engine = make_engine(url)
    seen: set[str] = set()
    try:
        for day, plan in enumerate(plans):
            with Session(engine) as session:
                _sync_and_commit(session, plan, now=T0 + timedelta(days=day))
                assert not _sync_and_commit(session, plan, now=T1 + timedelta(days=day)).changed

                stored = [
                    (i.item_id, i.action_id, i.title, i.period)
                    for i in stored_items(session, plan.programme.id)
                ]
                assert stored == _expected_items(plan)
                current = {m.id for m in plan.milestones()}
                seen |= current
                archived = session.scalars(
                    sa.select(MilestoneRow.code).where(MilestoneRow.archived_at.is_not(None))
                )
                assert set(archived) == seen - current
    finally:
        engine.dispose()


def test_owners_stored_in_another_json_spelling_are_not_a_change(
    session: Session, sample_plan: Plan
) -> None:
    # Owners are compared as the stored JSON text; a row written in another spelling (no
    # spaces) must not look like a plan change: no revision, and the next sync compares as text.
    _sync_and_commit(session, sample_plan)
    session.execute(
        sa.text("UPDATE actions SET owners = '[\"PIANOo\",\"IenM\"]' WHERE code = '2.1'")
    )
    session.commit()
    again = dataclasses.replace(sample_plan, source_hash="another file, same plan")
    result = _sync_and_commit(session, again, T1)
    assert result.revisions == [] and result.changed_count == 0
    stored = session.scalar(sa.text("SELECT CAST(owners AS TEXT) FROM actions WHERE code = '2.1'"))
    assert stored == '["PIANOo", "IenM"]'  # rewritten in the spelling compared
