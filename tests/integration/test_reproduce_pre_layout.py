"""`regie report reproduce` on reports an earlier Regie archived (walk29 finding 1): one archived
before layouts and data cut-offs were recorded cannot be rebuilt byte for byte, which it says
(exit 0) after checking its stored bytes against their hash; stored bytes that do not match
their hash still fail; one with a cut-off but no layout is compared when layout 1 makes it
again and otherwise said to be not comparable, never "DIFFERS". Every report archived now
records its layout and the Regie that made it. SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from regie import __version__
from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.reports_scenario import AS_OF, MEETING, cli_env, scenario_app

#: What an archived pack's parameters held before layouts were recorded.
OLD_PARAMETERS = {"body": "stuurgroep", "meeting": MEETING.isoformat(), "as_of": AS_OF.isoformat()}


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return scenario_app(tmp_path / "home", database_url)


def _archived_as_then(
    app: App, content: bytes, *, sha256: str | None = None, data_until: datetime | None = None
) -> int:
    """A row as an earlier release wrote it: no layout, no provenance (before migration 0019)
    or only a cut-off (between 0019 and layout 2)."""
    from store.reports_repo import Provenance, ReportsRepository

    with app.session() as session, session.begin():
        stored = ReportsRepository(session, app.programme_id()).archive(
            kind="agenda", format="md", title="Agenda Stuurgroep 2016-04-12", as_of=AS_OF,
            parameters=dict(OLD_PARAMETERS),
            sha256=sha256 or hashlib.sha256(content).hexdigest(), content=content,
            provenance=Provenance(None, None, None, data_until) if data_until else None,
        )  # fmt: skip
    return stored.id


def _earlier_templates(app: App) -> bytes:
    """A pack as a release before layout 1 was frozen made it: layout 1's, with a heading the
    templates then spelled otherwise."""
    from regie.reports import _agenda_pack, render_agenda

    # Layout 1's data as layout 1 read them (the current layout's stale clock differs: fresh50).
    pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=1)
    layout1 = render_agenda(pack, "md", layout=1)
    earlier = layout1.replace(b"## ", b"### ", 1)
    assert earlier != layout1
    return earlier


def test_a_pack_archived_before_layouts_and_cut_offs_cannot_be_rebuilt(app: App) -> None:
    from regie.reports import NOT_COMPARABLE, reproduce

    content = _earlier_templates(app)
    report_id = _archived_as_then(app, content)
    digest = hashlib.sha256(content).hexdigest()

    again = reproduce(app, report_id)
    assert again.outcome == NOT_COMPARABLE and not again.matches and again.content == b""

    done = regie("report", "reproduce", str(report_id), env=cli_env(app))
    assert done.code == 0, done.err
    assert done.out.strip() == (
        f"report {report_id} was archived by an earlier Regie, before layouts were recorded: "
        f"it cannot be rebuilt byte for byte; its stored content matches its hash "
        f"(sha256 {digest})"
    )
    assert "DIFFERS" not in done.out and done.err == ""


def test_stored_bytes_that_do_not_match_their_hash_still_fail(app: App) -> None:
    content = _earlier_templates(app)
    report_id = _archived_as_then(app, content, sha256=hashlib.sha256(b"other").hexdigest())

    done = regie("report", "reproduce", str(report_id), env=cli_env(app))
    assert done.code == 1
    assert "content does not match its sha256" in done.err
    assert "cannot be rebuilt" not in done.out


def test_a_pack_with_a_cut_off_but_no_layout(app: App) -> None:
    """Archived between migration 0019 (cut-off) and layout 2: compared when layout 1 makes it
    again, else said to be not comparable (its templates may be earlier ones), exit 0."""
    from regie.reports import NOT_COMPARABLE, _agenda_pack, render_agenda, reproduce

    cut = datetime.now(UTC)
    earlier = _earlier_templates(app)
    not_layout1 = _archived_as_then(app, earlier, data_until=cut)
    again = reproduce(app, not_layout1)
    assert again.outcome == NOT_COMPARABLE and again.recorded_until == cut

    done = regie("report", "reproduce", str(not_layout1), env=cli_env(app))
    assert done.code == 0, done.err
    digest = hashlib.sha256(earlier).hexdigest()
    assert done.out.startswith(
        f"report {not_layout1} was archived by an earlier Regie, before layouts were recorded: "
        f"layout 1's templates give sha256 {again.sha256} from the records recorded up to "
    )
    assert done.out.strip().endswith(
        f"so it cannot be rebuilt byte for byte; its stored content matches its hash "
        f"(sha256 {digest})"
    )

    pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=1)  # as layout 1 read it
    layout1 = render_agenda(pack, "md", layout=1)
    matching = _archived_as_then(app, layout1, data_until=cut)
    assert reproduce(app, matching).outcome == "matches"
    shown = regie("report", "reproduce", str(matching), env=cli_env(app))
    assert shown.code == 0 and "matches the archived" in shown.out


def test_every_report_archived_now_records_its_layout_and_regie(app: App) -> None:
    from regie.reports import agenda, archived, voortgang

    agenda(app, "stuurgroep", MEETING, AS_OF, "md")
    voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "md")
    rows: list[Any] = archived(app)
    assert {r.kind for r in rows} == {"agenda", "voortgang"}
    for r in rows:
        assert isinstance(r.parameters["layout"], int)
        assert r.parameters["regie_version"] == __version__
