"""After new status updates, the shared assessment and the feeds are built from the last ones
(only touched items judged again, only their events made again) and equal a build from scratch."""

from __future__ import annotations

import random
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from feeds.scope import Scope
from governance.assessment import assess
from regie import plan_cache
from regie.bootstrap import bootstrap
from regie.config import load_settings
from regie.feeds import build_feed
from regie.history import record_update
from regie.office import shared_assessment
from regie.services import sync
from store.assessment_query import assessment_updates
from store.first_assessed import first_assessed_days
from tests.integration.server import TEST_SECRET_KEY

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "feeds.yaml"
AS_OF = date(2016, 3, 1)
NOW = datetime(2016, 3, 1, 9, 0, tzinfo=UTC)


def test_incremental_builds_equal_builds_from_scratch(tmp_path: Path, migrated_url: str) -> None:
    plan_file = tmp_path / "plan.yaml"
    shutil.copy(FIXTURE, plan_file)
    app = bootstrap(
        load_settings({"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": migrated_url,
                       "REGIE_PLAN": str(plan_file), "REGIE_SECRET_KEY": TEST_SECRET_KEY})
    )  # fmt: skip
    sync(app, None)
    plan, _ = plan_cache.current_plan(app)
    pid = plan.programme.id
    scopes = [Scope("programme"), Scope("org", "GGD"), Scope("step", "1")]
    ids = [d.item_id for d in plan.deadlines()]
    rng = random.Random(12)
    plan_cache.clear_facts()

    def current() -> tuple[object, list[bytes]]:
        with app.session() as session:
            assessment = shared_assessment(app, session, plan, AS_OF)
        return assessment, [build_feed(app, plan, s, AS_OF).body for s in scopes]

    before, _ = current()
    for round_ in range(6):
        updated = rng.sample(ids, rng.randint(1, 3))
        for item_id in updated:
            status = rng.choice(["on_track", "at_risk", "done", "cancelled"])
            record_update(app, item_id, status, as_of=AS_OF - timedelta(days=rng.randint(0, 40)),
                          forecast=AS_OF + timedelta(days=rng.randint(-10, 90))
                          if status == "at_risk" else None,
                          completed_on=None, comment=f"ronde {round_}", author=None)  # fmt: skip
        assessment, feeds = current()
        with app.session() as session:
            full = assess(
                plan, assessment_updates(session, pid, AS_OF), AS_OF,
                first_assessed=first_assessed_days(session, pid),
            )  # fmt: skip
        assert assessment == full
        assert [e.payload for e in assessment.events] == [e.payload for e in full.events]
        untouched = [i for i in full.items if i not in updated and i != "1.1.7"]  # 1.1.7 waits
        assert all(assessment.items[i] is before.items[i] for i in untouched)  # kept, not redone
        kept = dict(plan_cache._facts)
        plan_cache.clear_facts()
        assert [build_feed(app, plan, s, AS_OF).body for s in scopes] == feeds
        plan_cache._facts.update(kept)  # go on from the incremental builds
        before = assessment
