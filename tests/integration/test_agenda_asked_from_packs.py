"""*Eerder voorgelegd op …, Ne keer* counts the packs really put to the body at its earlier
meetings and what each listed (kept with the pack as ``listed``): only a pack the meeting
preparation sent before the meeting counts; a meeting that passed without one, a pack made by
hand and never sent, or one made after the meeting does not, and the pack's data say why. A
pack archived before packs kept their list is read as the data then stood, and the pack's data
say which meetings were worked out so. Packs of layouts 2 and 3 are made again as they were.
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from regie.bootstrap import App
from regie.reports import agenda, agenda_pack
from tests.integration.reports_scenario import AS_OF, MEETING, scenario_app

COUNTING_ONLY = pytest.mark.one_database(
    "how packs are counted, from SQL this file's other PostgreSQL tests run"
)

OCTOBER, JANUARY = date(2015, 10, 13), date(2016, 1, 12)
LATE = "3.5.1"  # late since 30 September 2015: a point at both earlier meetings


@pytest.fixture
def app(tmp_path: Path, database_url: str, documents_made_once: None) -> App:
    return scenario_app(tmp_path / "home", database_url)


def _point(app: App) -> tuple[tuple[date, ...], tuple[date, ...]]:
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    (asked,) = [a for a in pack.asked if a.item.item_id == LATE]
    return asked.earlier, asked.earlier_estimated


def _why(app: App) -> tuple[tuple[date, str], ...]:
    """Per earlier meeting with an archived pack: whether it counted and why."""
    return agenda_pack(app, "stuurgroep", MEETING, AS_OF).earlier_packs


def _send(app: App, as_of: date) -> None:
    """The meeting preparation of ``as_of`` queues the pack due (to the body's contacts)."""
    from regie.prepare import prepare_meetings

    assert prepare_meetings(app, as_of).packs


def test_meetings_without_a_pack_do_not_count(app: App) -> None:
    assert _point(app) == ((), ())
    _send(app, date(2016, 1, 5))  # only January got a pack
    assert _point(app) == ((JANUARY,), ())
    assert _why(app) == ((JANUARY, "sent"),)


@COUNTING_ONLY
def test_a_pack_that_did_not_list_the_item_does_not_count(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    _archive_listing(monkeypatch, ["1.1"])  # that pack put other points to the body
    _send(app, date(2016, 1, 5))
    assert _point(app) == ((), ())


def test_an_old_archive_without_its_list_is_read_as_the_data_stood(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie.reports import _agenda_pack, archived_report, reproduce

    with monkeypatch.context() as before:
        _archive_listing(before, None)  # archived before packs kept their list
        _send(app, date(2015, 10, 6))
    _send(app, date(2016, 1, 5))
    assert _point(app) == ((OCTOBER, JANUARY), (OCTOBER,))
    made = agenda(app, "stuurgroep", MEETING, AS_OF, "md")
    assert "voor de 3e keer voorgelegd, eerder op 13-10-2015, 12-01-2016" in made.content.decode()
    assert reproduce(app, made.archive_id).matches
    # A pack of layout 2 counted the meetings, with or without a pack.
    cut = archived_report(app, made.archive_id).data_until
    pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, recorded_until=cut, layout=2)
    (asked,) = [a for a in pack.asked if a.item.item_id == LATE]
    assert asked.earlier == (OCTOBER, JANUARY) and asked.earlier_estimated == ()


@COUNTING_ONLY
def test_a_pack_made_after_the_meeting_does_not_count(app: App) -> None:
    agenda(app, "stuurgroep", JANUARY, date(2016, 3, 1), "md")  # seven weeks after it
    assert _point(app) == ((), ())
    assert _why(app) == ((JANUARY, "made_after_meeting"),)


@COUNTING_ONLY
def test_a_pack_made_by_hand_and_never_sent_does_not_count(app: App) -> None:
    """The decision list's rule (did the meeting get its pack?) and *eerder voorgelegd* agree."""
    from regie.prepare import _sent

    plan = app.load_plan()
    (body,) = [b for b in plan.governance if b.id == "stuurgroep"]
    agenda(app, "stuurgroep", JANUARY, date(2016, 1, 5), "md")  # before it, but never sent
    assert _sent(app, plan, body, JANUARY) is False
    assert _point(app) == ((), ())
    assert _why(app) == ((JANUARY, "never_sent"),)
    _send(app, date(2016, 1, 5))
    assert _sent(app, plan, body, JANUARY) is True
    assert _point(app) == ((JANUARY,), ())


@COUNTING_ONLY
def test_a_sent_pack_made_again_later_keeps_what_it_listed(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    _send(app, date(2016, 1, 5))  # it put the late item to the body
    _archive_listing(monkeypatch, ["1.1"])  # the same meeting's pack remade, by hand
    agenda(app, "stuurgroep", JANUARY, date(2016, 1, 8), "md")
    agenda(app, "stuurgroep", JANUARY, date(2016, 2, 1), "md")
    assert _point(app) == ((JANUARY,), ())
    assert _why(app) == ((JANUARY, "sent"),)


@COUNTING_ONLY
def test_a_pack_of_layout_3_is_made_again_as_it_was(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Layout 3 counted the last pack archived per meeting, sent or not: so it still does."""
    from regie import report_build, report_render
    from regie.reports import reproduce

    agenda(app, "stuurgroep", JANUARY, date(2016, 3, 1), "md")  # made after it, never sent
    with monkeypatch.context() as then:
        then.setattr(report_build, "AGENDA_LAYOUT", 3)  # where the pack and its parameters read it
        # … rendered with the templates packs of layouts 2–4 had (the frozen ``*_v2``).
        then.setattr(report_render, "AGENDA_TEMPLATES_FROM", 99)
        made = agenda(app, "stuurgroep", MEETING, AS_OF, "md")
    assert made.parameters["layout"] == 3
    assert "eerder voorgelegd op 12-01-2016" in made.content.decode()
    assert reproduce(app, made.archive_id).matches
    assert _point(app) == ((), ())  # today's layout does not count it


def _archive_listing(monkeypatch: pytest.MonkeyPatch, listed: list[str] | None) -> None:
    """Packs archived from now on keep ``listed`` (None: no list, as before layout 3)."""
    from regie import reports

    keep = reports.agenda_parameters

    def parameters(*args: Any, **kwargs: Any) -> dict[str, Any]:
        # Nor what each item was asked (``asked``, layout 14): packs of those layouts had none.
        out = {k: v for k, v in keep(*args, **kwargs).items() if k not in ("listed", "asked")}
        return out if listed is None else out | {"listed": listed}

    monkeypatch.setattr(reports, "agenda_parameters", parameters)
