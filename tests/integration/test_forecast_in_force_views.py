"""walk55a 2: `regie status` (JSON), the office's pages and the calendar feed show the owner's
forecast in force, as the progress report's *Nu* takes it (governance.forecasts.
forecast_in_force): a forecast a later decision moved past, and a done item's, are no longer
shown as *Prognose*; the latest update keeps what the owner said. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from pathlib import Path

from starlette.testclient import TestClient

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.feed_clients import synced_app
from tests.integration.test_web_problem_pages import _office
from web.app import create_app


def _env(app: App) -> dict[str, str]:
    return {
        "REGIE_HOME": str(app.settings.home),
        "REGIE_PLAN": str(app.settings.plan_path),
        "REGIE_DATABASE_URL": app.settings.database_url,
    }


def _run(app: App, *args: str) -> str:
    done = regie(*args, env=_env(app))
    assert done.code == 0, done.err
    return done.out


def _status(app: App, day: str) -> dict[str, dict[str, object]]:
    rows = json.loads(_run(app, "status", "--as-of", day, "--format", "json"))
    return {r["id"]: r for r in rows}


def _scenario(app: App) -> None:
    """1.1.2 (18 april 2016): the owner expects 20 May, the regieteam then sets Q2-2016 on 29
    March, the owner reports it done on 10 June without a forecast. 1.1.3: a forecast nothing
    moved since."""
    _run(app, "update", "1.1.2", "-s", "at_risk", "--forecast", "2016-05-20",
         "--comment", "Vertraging", "--as-of", "2016-01-05")  # fmt: skip
    _run(app, "update", "1.1.3", "-s", "at_risk", "--forecast", "2017-05-01",
         "--comment", "Later", "--as-of", "2016-05-02")  # fmt: skip
    _run(app, "decision", "add", "--body", "regieteam", "--meeting", "2016-03-29",
         "--text", "Naar Q2-2016", "--set-gereed", "1.1.2", "Q2-2016")  # fmt: skip
    _run(app, "update", "1.1.2", "-s", "done", "--completed-on", "2016-06-10",
         "--as-of", "2016-06-10")  # fmt: skip


def test_status_shows_the_forecast_in_force(tmp_path: Path, migrated_url: str) -> None:
    app = synced_app(tmp_path, migrated_url)
    _scenario(app)
    before = _status(app, "2016-03-01")["1.1.2"]
    assert before["forecast"] == "2016-05-20"  # nothing moved yet: the owner's word
    moved = _status(app, "2016-04-01")
    assert moved["1.1.2"]["forecast"] is None  # the decision of 29 March came after it
    latest = moved["1.1.2"]["latest_update"]
    assert isinstance(latest, dict) and latest["forecast"] == "2016-05-20"  # what was said
    done = _status(app, "2016-12-01")
    assert done["1.1.2"]["state"] == "done" and done["1.1.2"]["forecast"] is None
    assert done["1.1.3"]["forecast"] == "2017-05-01"  # in force: shown


def test_the_office_pages_show_the_forecast_in_force(tmp_path: Path, migrated_url: str) -> None:
    app = synced_app(tmp_path, migrated_url)
    _scenario(app)
    web = _office(TestClient(create_app(app)), app)

    def forecast_cell(page: str, item_id: str) -> str:
        row = next(r for r in page.split("<tr") if f">{item_id}<" in r or f'/{item_id}"' in r)
        cell = re.search(r'data-label="Prognose"[^>]*>([^<]*)<', row)
        assert cell is not None, row
        return cell.group(1).strip()

    overview = web.get("/")
    assert overview.status_code == 200
    assert forecast_cell(overview.text, "1.1.2") == "–"  # done: no forecast
    assert forecast_cell(overview.text, "1.1.3") == "1 mei 2017"
    item = web.get("/items/1.1.2")
    assert item.status_code == 200
    assert re.search(r"<dt>Prognose</dt><dd>–</dd>", item.text), item.text
    # Its history still shows what the owner said then.
    assert "20 mei 2016" in item.text
    kept = web.get("/items/1.1.3")
    assert re.search(r"<dt>Prognose</dt><dd>1 mei 2017</dd>", kept.text)


def test_the_calendar_feed_shows_the_forecast_in_force(tmp_path: Path, migrated_url: str) -> None:
    from datetime import date

    from regie.feeds import export_feed

    app = synced_app(tmp_path, migrated_url)
    _scenario(app)

    def descriptions(day: date) -> dict[str, str]:
        body = export_feed(app, "programme", day, record=False).decode()
        unfolded = body.replace("\r\n ", "").replace("\\n", "\n")
        events = unfolded.split("BEGIN:VEVENT")[1:]
        return {e.split("UID:", 1)[1].split("@", 1)[0]: e for e in events}

    assert "Prognose: 20 mei 2016" in descriptions(date(2016, 3, 1))["1.1.2"]
    moved = descriptions(date(2016, 4, 1))  # after the decision of 29 March
    assert "Prognose" not in moved["1.1.2"]
    done = descriptions(date(2016, 12, 1))
    assert "Prognose" not in done["1.1.2"]
    assert "Prognose: 1 mei 2017" in done["1.1.3"]
