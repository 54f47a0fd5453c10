"""*Eerder voorgelegd op …, Ne keer* counts the packs really archived for the body's earlier
meetings and what each put to the body (kept with the pack as ``listed``): a meeting that
passed without a pack does not count. A pack archived before packs kept their list is read as
the data then stood, and the pack's data say which meetings were worked out so. Packs of
layout 2 are made again as they were. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from regie.bootstrap import App
from regie.reports import agenda, agenda_pack
from tests.integration.reports_scenario import AS_OF, MEETING, migrated_app, seed_scenario

OCTOBER, JANUARY = date(2015, 10, 13), date(2016, 1, 12)
LATE = "3.5.1"  # late since 30 September 2015: a point at both earlier meetings


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    app = migrated_app(tmp_path / "home", database_url)
    seed_scenario(app)
    return app


def _point(app: App) -> tuple[tuple[date, ...], tuple[date, ...]]:
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    (asked,) = [a for a in pack.asked if a.item.item_id == LATE]
    return asked.earlier, asked.earlier_estimated


def test_meetings_without_a_pack_do_not_count(app: App) -> None:
    assert _point(app) == ((), ())
    agenda(app, "stuurgroep", JANUARY, date(2016, 1, 5), "md")  # only January got a pack
    assert _point(app) == ((JANUARY,), ())


def test_a_pack_that_did_not_list_the_item_does_not_count(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    _archive_listing(monkeypatch, ["1.1"])  # that pack put other points to the body
    agenda(app, "stuurgroep", JANUARY, date(2016, 1, 5), "md")
    assert _point(app) == ((), ())


def test_an_old_archive_without_its_list_is_read_as_the_data_stood(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie.reports import _agenda_pack, archived_report, reproduce

    with monkeypatch.context() as before:
        _archive_listing(before, None)  # archived before packs kept their list
        agenda(app, "stuurgroep", OCTOBER, date(2015, 10, 6), "md")
    agenda(app, "stuurgroep", JANUARY, date(2016, 1, 5), "md")
    assert _point(app) == ((OCTOBER, JANUARY), (OCTOBER,))
    made = agenda(app, "stuurgroep", MEETING, AS_OF, "md")
    assert "eerder voorgelegd op 13-10-2015, 12-01-2016 (3e keer op de agenda)" in (
        made.content.decode()
    )
    assert reproduce(app, made.archive_id).matches
    # A pack of layout 2 counted the meetings, with or without a pack.
    cut = archived_report(app, made.archive_id).data_until
    pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, recorded_until=cut, layout=2)
    (asked,) = [a for a in pack.asked if a.item.item_id == LATE]
    assert asked.earlier == (OCTOBER, JANUARY) and asked.earlier_estimated == ()


def _archive_listing(monkeypatch: pytest.MonkeyPatch, listed: list[str] | None) -> None:
    """Packs archived from now on keep ``listed`` (None: no list, as before layout 3)."""
    from regie import reports

    keep = reports.agenda_parameters

    def parameters(*args: Any, **kwargs: Any) -> dict[str, Any]:
        out = {k: v for k, v in keep(*args, **kwargs).items() if k != "listed"}
        return out if listed is None else out | {"listed": listed}

    monkeypatch.setattr(reports, "agenda_parameters", parameters)
