"""Ongoing work before its start (walk54 8): ``gereed: 2026 e.v.`` in 2025 is not active yet.

It is *nog niet gestart*, not *doorlopend*, in `regie status`, the office's pages, a new agenda
pack (layout 19) and a new progress report (layout 18); a status round started before its start
does not ask about it (no request, no answer link), one started from its start does. Older
layouts (agenda 18, progress 17) are made as before. A ``Periodiek`` item, running since the
programme's start, stays *doorlopend* throughout. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from store import Repository
from tests.cli_in_process import regie
from tests.integration.test_closing_meeting import _asked
from tests.integration.test_programme_end import _app, _env

LAYOUT_ONLY = pytest.mark.one_database(
    "the reports' words, from SQL this file's other PostgreSQL tests run"
)

#: The end test's plan running through 2026, with an item that starts in 2026 and one that
#: runs from the programme's start (1 September 2025).
ONGOING = """\
      - {id: "1.5", title: Beheer, owners: [bond], gereed: 2026 e.v.}
      - {id: "1.6", title: Monitoring, owners: [bond], gereed: Periodiek}
"""
BEFORE, FROM = date(2025, 11, 27), date(2026, 1, 5)


def _started_env(tmp_path: Path, url: str) -> dict[str, str]:
    env = _env(tmp_path, url, "2026-03-31")
    plan = Path(env["REGIE_PLAN"])
    text = plan.read_text(encoding="utf-8").replace("end: 2025-12-31", "end: 2026-12-31")
    plan.write_text(text + ONGOING, encoding="utf-8")
    return env


def _status_state(env: dict[str, str], as_of: date, item_id: str) -> str:
    """The *Status* cell of ``item_id`` in `regie status` on ``as_of``."""
    shown = regie("status", "--as-of", as_of.isoformat(), env=env)
    assert shown.code == 0, shown.err
    (line,) = [x for x in shown.out.splitlines() if f" {item_id} " in x]
    return line


def test_a_round_asks_about_it_only_from_its_start_and_status_names_it(
    tmp_path: Path, migrated_url: str
) -> None:
    from regie.rounds import start_round

    env = _started_env(tmp_path, migrated_url)
    app = _app(env)
    start_round(app, "stuurgroep", date(2025, 12, 5), None, BEFORE)
    # 1.3 waits on 1.1; 1.5 has not started: neither is asked; 1.6 (Periodiek) is.
    assert _asked(app, date(2025, 12, 5)) == {"1.1", "1.2", "1.4", "1.6"}
    with app.session() as session:
        mails = Repository(session, app.programme_id()).outbox()
    bert = [r for r in mails if r.kind == "round_request" and r.recipient == "bert"]
    assert bert and all("1.5" not in r.body_text for r in bert)
    assert any("1.6" in r.body_text for r in bert)

    start_round(app, "stuurgroep", date(2026, 1, 7), None, FROM)
    assert "1.5" in _asked(app, date(2026, 1, 7))

    assert "nog niet gestart" in _status_state(env, BEFORE, "1.5")
    assert "doorlopend" not in _status_state(env, BEFORE, "1.5")
    assert "doorlopend" in _status_state(env, BEFORE, "1.6")
    assert "doorlopend" in _status_state(env, date(2026, 1, 2), "1.5")  # its first working day
    rows = {r["id"]: r for r in _json_status(env, BEFORE)}
    assert rows["1.5"]["state"] == "ongoing" and rows["1.5"]["not_started"] is True
    assert rows["1.6"]["not_started"] is False


def _json_status(env: dict[str, str], as_of: date) -> list[dict[str, object]]:
    import json

    shown = regie("status", "--as-of", as_of.isoformat(), "-f", "json", env=env)
    assert shown.code == 0, shown.err
    rows: list[dict[str, object]] = json.loads(shown.out)
    return rows


def _line(text: str, start: str) -> str:
    (line,) = [x for x in text.splitlines() if x.startswith(start)]
    return line


@LAYOUT_ONLY
def test_a_new_pack_and_report_say_not_started_and_older_layouts_doorlopend(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie import report_build
    from regie.reports import _progress_report, agenda, render_progress, reproduce

    app = _app(_started_env(tmp_path, migrated_url))

    def pack(layout: int) -> str:
        with monkeypatch.context() as then:
            then.setattr(report_build, "AGENDA_LAYOUT", layout)
            made = agenda(app, "stuurgroep", date(2025, 12, 11), date(2025, 12, 4), "md")
        assert made.parameters["layout"] == layout
        again = reproduce(app, made.archive_id or 0)
        assert again.matches and again.content == made.content
        return made.content.decode()

    new, old = pack(19), pack(18)
    assert "| nog niet gestart |" in _line(new, "| 1.5 |")
    assert "| doorlopend |" in _line(old, "| 1.5 |")
    assert "| doorlopend |" in _line(new, "| 1.6 |")
    assert "nog niet gestart" not in old

    def report(layout: int) -> str:
        made, _ = _progress_report(
            app, date(2025, 9, 1), date(2025, 11, 30), date(2025, 12, 4), layout=layout
        )
        return render_progress(made, "md").decode()

    now, then_ = report(18), report(17)
    assert _line(now, "- 1.5 ").endswith("nog niet gestart (plan: 2026 e.v.)")
    assert _line(then_, "- 1.5 ").endswith("doorlopend (plan: 2026 e.v.)")
    assert _line(now, "- 1.6 ").endswith("doorlopend (plan: Periodiek)")


def test_the_offices_pages_say_not_started(tmp_path: Path, migrated_url: str) -> None:
    from regie.office import item_detail, overview
    from web.templating import environment

    app: App = _app(_started_env(tmp_path, migrated_url))
    rows = {r.id: r for s in overview(app, BEFORE).steps for a in s.actions for r in a.items}
    assert rows["1.5"].not_started and not rows["1.6"].not_started
    badge = environment().from_string('{% from "_macros.html.j2" import state %}{{ state(r) }}')
    assert ">nog niet gestart</span>" in badge.render(r=rows["1.5"])
    assert ">doorlopend</span>" in badge.render(r=rows["1.6"])
    detail = item_detail(app, "1.5", date(2026, 1, 2))
    assert detail is not None and not detail.row.not_started


@LAYOUT_ONLY
def test_a_round_that_asked_it_before_its_start_counts_it_only_in_older_packs(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A round the old code started asked 1.5 too; nobody answers. Layout 19's *Statusronde*
    leaves it out, as a round started now does not ask it; layout 18 counts it as built."""
    from governance import item_start
    from regie import report_build
    from regie.reports import agenda
    from regie.rounds import start_round

    app = _app(_started_env(tmp_path, migrated_url))
    with monkeypatch.context() as old:
        old.setattr(item_start, "not_started_ids", lambda items, as_of: frozenset())
        start_round(app, "stuurgroep", date(2025, 12, 5), None, BEFORE)
    assert "1.5" in _asked(app, date(2025, 12, 5))

    def status(layout: int) -> str:
        with monkeypatch.context() as then:
            then.setattr(report_build, "AGENDA_LAYOUT", layout)
            made = agenda(app, "stuurgroep", date(2025, 12, 11), date(2025, 12, 8), "md")
        text = " ".join(made.content.decode().split())
        return text.split("## Statusronde")[1].split("##")[0]

    new, old_ = status(19), status(18)
    assert "0 van de 4 punten beantwoord" in new and "1.5" not in new
    assert "0 van de 5 punten beantwoord" in old_ and "1.5 Beheer" in old_
