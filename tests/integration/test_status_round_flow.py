"""The status-round flow on a real (temporary) Prefect API: start, then chase and close; a chase
day run in prefect.yaml's order of the morning."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from regie.bootstrap import App
from tests.integration.answer_app import ANSWERS_PLAN

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("REGIE_HOME", str(home))
    monkeypatch.setenv("REGIE_PLAN", str(ANSWERS_PLAN))
    monkeypatch.setenv("REGIE_NOTIFIER", "file")
    monkeypatch.delenv("REGIE_DATABASE_URL", raising=False)
    return home


def test_status_round_flow_starts_chases_and_closes(home: Path) -> None:
    from flows.status_round import status_round

    state = status_round(
        as_of="2025-06-02", body="stuurgroep", answer_by="2025-06-20", return_state=True
    )
    assert state.is_completed(), state.message
    started: dict[str, Any] = state.result()
    assert started["started"]["queued"] == 3
    assert started["send"]["sent"] == 3
    chased = status_round(as_of="2025-06-19")
    assert chased["rounds"][0]["queued"] == 3  # nobody answered: all three chased
    closed = status_round(as_of="2025-06-20")
    assert closed["rounds"][0]["closed"] is True
    assert closed["send"]["sent"] == 1  # the office's summary
    mails = sorted(p.name for p in (home / "outbox").rglob("*.eml"))
    assert len(mails) == 7


@pytest.fixture
def deployed_home(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[App]:
    """The answers plan, a file outbox; SQLite and PostgreSQL."""
    from tests.integration.reports_scenario import migrated_app

    app = migrated_app(tmp_path / "home", database_url)
    monkeypatch.setenv("REGIE_HOME", str(app.settings.home))
    monkeypatch.setenv("REGIE_PLAN", str(ANSWERS_PLAN))
    monkeypatch.setenv("REGIE_DATABASE_URL", database_url)
    monkeypatch.setenv("REGIE_NOTIFIER", "file")
    yield app
    app.engine.dispose()


def morning_flows() -> list[Callable[..., Any]]:
    """The scheduled working-day flows of prefect.yaml that take ``as_of``, in the order their
    crons run them of a morning."""
    from importlib import import_module

    from tests.unit.test_prefect_schedule import deployments, morning

    found = deployments()
    names = sorted(("prepare-meeting", "status-round", "daily-cycle"), key=lambda n: morning(n)[0])
    flows = []
    for name in names:
        path, function = found[name]["entrypoint"].split(":")
        module = import_module(path.removesuffix(".py").replace("/", "."))
        flows.append(getattr(module, function))
    return flows


# Both orders on both databases: what is asked once is the outbox's subject (review52).
@pytest.mark.parametrize(
    "late",
    [False, True],
    ids=["deployed-order", "status-round-late"],
)
def test_a_chase_day_run_asks_the_owner_once(deployed_home: App, late: bool) -> None:
    """review10a 2: the round (answers by 24 June) chases anna on 23 June (cadence36: once, the
    last working day before). Run as the
    deployments run that morning (prefect.yaml's order), her reminder digest of the day is not
    sent: the chase, queued first, asks about the same items. order35: also when the
    status-round run comes after daily-cycle (it waited on the cycle's lock, or was late):
    daily-cycle chases the round itself before it sends; the late run queues nothing new."""
    from store import Repository

    def run_day(day: str, **start: str) -> dict[str, Any]:
        flows = morning_flows()
        if late:  # status-round last
            flows.sort(key=lambda f: f.name == "status-round")
        results = {}
        for flow in flows:
            parameters = start if flow.name == "status-round" else {}
            state = flow(as_of=day, **parameters, return_state=True)
            assert state.is_completed(), state.message
            results[flow.name] = state.result()
        return results

    first = run_day("2025-06-10", body="stuurgroep", answer_by="2025-06-24")
    # Started late (by hand, say) on the request day: the request still goes, and the start
    # says whose digest of the day already asked the same.
    assert first["status-round"]["started"]["reminded_today"] == (["anna"] if late else [])
    chased = run_day("2025-06-23")
    with deployed_home.session() as session:
        sent = {
            m.key: m.status
            for m in Repository(session, "wegen-test").outbox()
            if m.recipient == "anna" and str(m.created_on) == "2025-06-23"
        }
    assert sent == {
        "round:1:anna:chase:2025-06-23": "sent",
        "reminder:wegen-test:anna:2025-06-23:digest": "suppressed",
    }
    # Late, daily-cycle chased (all three silent contacts), and the status-round run did not.
    assert chased["daily-cycle"]["meetings"]["progress"][0]["queued"] == (3 if late else 0)
