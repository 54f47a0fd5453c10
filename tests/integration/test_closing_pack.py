"""A closing meeting's pack and decisions after the programme's end (end47, walk46 6, 7, 9):
agenda layout 14 says at the top that the programme ended and how much is still open, asks a
late item's new date or its lapse, and its *Statusronde* leaves out the unanswered items no
longer asked; layout 13 is made again without any of it. Layout 15 (close48) says the end
ahead of it too: for the closing meeting in a pack made before the end, and for the last
meeting before it. `decision add --set-gereed` to a date
after the end and `meeting add` after the end warn at once. The end46 closing-meeting plan
(end 31 December 2025, closing meeting 22 January 2026), SQLite and PostgreSQL."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.rounds import start_round
from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN
from tests.integration.test_closing_meeting import _closing_env
from tests.integration.test_programme_end import _app
from tests.integration.test_reports_agenda import GOLDEN

LAYOUT_ONLY = pytest.mark.one_database(
    "the pack's layout, from SQL this file's other PostgreSQL tests run"
)

CLOSING, AS_OF = date(2026, 1, 22), date(2026, 1, 15)
ENDED = "Het programma is op 31 december 2025 geëindigd"


def _round_before_the_end(app: App) -> None:
    """A round started on 22 December, answers by 9 January: tied to the closing meeting; it
    asks 1.1, 1.2, 1.4 and 1.5 (*Ntb*; 1.3 waits on 1.1), and nobody answers."""
    from regie.rounds import start_round

    start_round(app, "stuurgroep", date(2026, 1, 9), None, date(2025, 12, 22))


def _pack(app: App, monkeypatch: pytest.MonkeyPatch, layout: int) -> str:
    """The closing meeting's pack of ``layout``, archived; made again, it matches."""
    from regie import report_build
    from regie.reports import agenda, reproduce

    with monkeypatch.context() as then:
        then.setattr(report_build, "AGENDA_LAYOUT", layout)
        made = agenda(app, "stuurgroep", CLOSING, AS_OF, "md")
    assert made.parameters["layout"] == layout
    again = reproduce(app, made.archive_id or 0)
    assert again.matches and again.content == made.content
    return " ".join(made.content.decode().split())


def test_a_pack_after_the_end_says_so_from_layout_14_and_layout_13_is_as_built(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(_closing_env(tmp_path, migrated_url))
    _round_before_the_end(app)

    old = _pack(app, monkeypatch, 13)
    assert ENDED not in old and "laten vervallen" not in old
    assert "Nieuwe datum vaststellen voor 1.1?" in old
    assert "1.5 Kennisdeling" in old.split("## Statusronde")[1].split("##")[0]
    assert "0 van de 4 punten beantwoord" in old

    new = _pack(app, monkeypatch, 14)
    # Open with a deadline: 1.1 and 1.2 (late), 1.4; without one: 1.3 (waits) and 1.5 (Ntb).
    top = new.split("## In het kort")[0]
    assert (
        f"**{ENDED}; 3 punten met een datum staan nog open. Daarnaast staan 2 punten zonder "
        "datum open; de eigenaren worden er niet meer naar gevraagd.**"
    ) in top
    assert new.count(ENDED) == 1
    assert "Nieuwe datum vaststellen voor 1.1 of het punt laten vervallen?" in new
    assert "Nieuwe datum vaststellen voor 1.2 of het punt laten vervallen?" in new
    assert "Nieuwe datum vaststellen voor 1.1?" not in new
    # The items without a date are put to the body with lapse too (review47 3).
    assert "Termijn vaststellen voor 1.3, dat wacht op 1.1, of het punt laten vervallen?" in new
    assert "Datum vaststellen voor 1.5 of het punt laten vervallen?" in new
    # Statusronde: 1.5 is no longer asked after the end (walk46 9), neither listed nor counted.
    status = new.split("## Statusronde")[1].split("##")[0]
    assert "0 van de 3 punten beantwoord" in status
    assert "1.1 Pakket vaststellen" in status and "1.5" not in status

    from regie.reports import agenda

    html = agenda(app, "stuurgroep", CLOSING, AS_OF, "html").content.decode()
    # Layout 15 (review47 7): one term, and the items without a date in the same sentence;
    # what is no longer asked names them again, not every open item (review48 2). Layout 20
    # (walk55d 2): 1.3, waiting on 1.1, is asked again once 1.1 is done: counted apart.
    assert (
        f'<p class="ended"><strong>{ENDED}; nog open staan 3 punten met datum en 1 punt '
        "zonder datum; naar het punt zonder datum wordt niet meer gevraagd. Daarnaast wacht 1 "
        "punt op een voorganger; daarnaar wordt gevraagd zodra de voorganger gereed is."
        "</strong></p>"
    ) in html
    assert (
        '<h3 class="group">Routine: datum of termijn vaststellen, of laten vervallen</h3>' in html
    )


@LAYOUT_ONLY
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_layout_13_and_a_pack_before_the_end_are_as_the_old_code_made_them(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """The golden files were made by the code before layout 14 (f8fb72c, layout 13): the pack
    of 11 December (made 4 December, before the end) is the same in layout 14, and the closing
    pack made after the end is made again in layout 13 as that code made it (review47 4)."""
    from regie import report_build
    from regie.reports import agenda
    from regie.rounds import start_round

    app = _app(_closing_env(tmp_path, migrated_url))
    start_round(app, "stuurgroep", date(2025, 12, 4), None, date(2025, 11, 27))
    with monkeypatch.context() as then:  # layout 15 says it is the last meeting before the end
        then.setattr(report_build, "AGENDA_LAYOUT", 14)
        made = agenda(app, "stuurgroep", date(2025, 12, 11), date(2025, 12, 4), fmt)
    assert made.parameters["layout"] == 14
    before = GOLDEN / f"agenda_closing_2025-12-11_asof_2025-12-04.layout13.{fmt}"
    assert made.content == before.read_bytes()
    text = made.content.decode()
    assert "geëindigd" not in text and "1.5 Kennisdeling" in text.split("Statusronde")[1]

    _round_before_the_end(app)
    with monkeypatch.context() as then:
        then.setattr(report_build, "AGENDA_LAYOUT", 13)
        old = agenda(app, "stuurgroep", CLOSING, AS_OF, fmt)
    after = GOLDEN / f"agenda_closing_2026-01-22_asof_2026-01-15.layout13.{fmt}"
    assert old.content == after.read_bytes()


@LAYOUT_ONLY
@pytest.mark.parametrize(
    ("as_of", "ended"), [(date(2025, 12, 31), False), (date(2026, 1, 1), True)]
)
def test_the_pack_says_the_end_from_the_day_after_it(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch, as_of: date, ended: bool
) -> None:
    """The end day is the programme's last day: a pack made on it says the end in the future
    tense (layout 15, review47 6), one made the next day in the past; both offer lapse for a
    meeting after the end. Layout 14 said nothing before the end and asked without lapse."""
    from regie import report_build
    from regie.reports import agenda

    app = _app(_closing_env(tmp_path, migrated_url))
    text = " ".join(agenda(app, "stuurgroep", CLOSING, as_of, "md").content.decode().split())
    assert (ENDED in text) is ended
    assert ("Het programma eindigt op 31 december 2025; " in text) is not ended
    assert "Nieuwe datum vaststellen voor 1.1 of het punt laten vervallen?" in text
    assert "Nieuwe datum vaststellen voor 1.1?" not in text
    with monkeypatch.context() as then:
        then.setattr(report_build, "AGENDA_LAYOUT", 14)
        old = agenda(app, "stuurgroep", CLOSING, as_of, "md").content.decode()
    old = " ".join(old.split())
    assert (ENDED in old) is ended and "eindigt op" not in old
    assert ("Nieuwe datum vaststellen voor 1.1?" in old) is not ended


PACKS = [  # (meeting, as of, layouts with a golden file of their own)
    # The last before the end (layout 22: its look ahead, with a next meeting).
    (date(2025, 12, 11), date(2025, 12, 4), (13, 15, 17, 19, 20, 21, 22)),
    (CLOSING, date(2025, 12, 31), (14, 15, 17, 19, 20, 21)),  # the closing meeting, before the end
    (CLOSING, AS_OF, (13, 14, 15, 17, 19, 20, 21)),  # the closing meeting, its pack after the end
]


@pytest.mark.parametrize("fmt", ["md", pytest.param("html", marks=LAYOUT_ONLY)])
def test_each_layout_makes_the_packs_around_the_end_again_as_built(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """Layout 15 (close48): the golden files of layout 15 are the packs as this code makes
    them; those of layout 14 were made by the code before it (a0595cd) and of layout 13 by the
    code before end47; each is made again byte for byte at its layout, archived and
    reproduced. A pack of layout 14 before the end equals layout 13's (no golden of its own);
    layout 16 (words49: a first meeting's decision list) changes none of these packs; layout 17
    (fresh50) only drops *(verouderd)* from the overdue items, first assessed on the pack's day
    (the scenario runs no cycle); layout 19 (walk54b 6) says *te laat: deadline … verstreken*;
    layout 20 (review55 3) words the charts' alt texts anew, which only the HTML has, and
    (walk55d 2) counts the item waiting on a predecessor apart in the top line; layout 21
    (walk56d 9) says *Vooruitblik* up to and including its horizon (*tot en met*); layout 22
    (fix57d) ends it before the next meeting's day, which only the pack with a next meeting has;
    layout 23 (walk58c 1, 5) changes the HTML only: a viewport, the shared narrow-screen rules
    and the meeting's date in words in the title (``REGIE_UPDATE_GOLDEN=1`` writes the current
    layout's files)."""
    from regie import report_build
    from regie.reports import agenda, reproduce

    app = _app(_closing_env(tmp_path, migrated_url))
    start_round(app, "stuurgroep", date(2025, 12, 4), None, date(2025, 11, 27))
    for meeting, as_of, md_layouts in PACKS:
        if meeting == CLOSING and as_of == date(2025, 12, 31):
            _round_before_the_end(app)
        layouts = md_layouts  # layout 20: the top line (both), the alt texts (HTML)
        if fmt == "html":  # layout 23 (walk58c 1, 5): a viewport, phone rules, Dutch title
            layouts = (*md_layouts, 23)
        for layout in range(min(layouts), report_build.AGENDA_LAYOUT + 1):
            with monkeypatch.context() as then:
                then.setattr(report_build, "AGENDA_LAYOUT", layout)
                made = agenda(app, "stuurgroep", meeting, as_of, fmt)
            golden = max(x for x in layouts if x <= layout)
            name = f"agenda_closing_{meeting}_asof_{as_of}.layout{golden}.{fmt}"
            if os.environ.get("REGIE_UPDATE_GOLDEN") == "1" and golden == layout == max(layouts):
                (GOLDEN / name).write_bytes(made.content)
            assert made.content == (GOLDEN / name).read_bytes(), (layout, name)
            again = reproduce(app, made.archive_id or 0)
            assert again.matches and again.content == made.content


def test_an_answered_item_without_a_deadline_is_not_counted_after_the_end(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1.5 (*Ntb*) answered in the round: no longer asked after the end, so it is in neither
    count of layout 14 (review47 1); layout 13 counted it."""
    from regie.history import record_update

    app = _app(_closing_env(tmp_path, migrated_url))
    _round_before_the_end(app)
    record_update(
        app, "1.5", "on_track", as_of=date(2026, 1, 5), forecast=None, completed_on=None,
        comment="Bijna klaar", author=None,
    )  # fmt: skip
    assert "1 van de 4 punten beantwoord" in _pack(app, monkeypatch, 13)
    status = _pack(app, monkeypatch, 14).split("## Statusronde")[1].split("##")[0]
    assert "0 van de 3 punten beantwoord" in status and "1.5" not in status


def test_decision_and_meeting_after_the_end_warn_at_once(tmp_path: Path, migrated_url: str) -> None:
    """walk46 7: the warning `plan validate` gives afterwards, at once, exit 0; a meeting added
    after the end warns as a listed date after the end does."""
    env = _closing_env(tmp_path, migrated_url)
    args = ["decision", "add", "--body", "stuurgroep", "--meeting", "2026-01-22"]
    moved = regie(*args, "--set-gereed", "1.2", "Q2-2026", "--text", "Nieuwe datum", env=env)
    assert moved.code == 0, moved.err
    assert "warning" not in moved.out, moved.out  # on stderr, as `round start` says (review47 5)
    warned = [x for x in moved.err.splitlines() if "warning:" in x]
    validated = regie("plan", "validate", env=env)
    assert validated.code == 0, validated.err
    later = [x for x in validated.out.splitlines() if "warning: 1.2 " in x]
    assert warned == later and len(warned) == 1, moved.out
    assert warned[0].endswith(
        "warning: 1.2 gereed 'Q2-2026' (due 2026-06-30) is after the programme's end 2025-12-31"
    )
    # A date within the programme, or a cancel: nothing to warn of.
    earlier = [*args[:-1], "2025-12-11", "--set-gereed", "1.1", "2025-12-30"]
    kept = regie(*earlier, "--text", "Binnen het programma", env=env)
    assert kept.code == 0 and "warning" not in kept.out + kept.err, kept.err
    dropped = regie(*args, "--cancel", "1.4", "--text", "Vervalt", env=env)
    assert dropped.code == 0 and "warning" not in dropped.out + dropped.err, dropped.err

    added = regie("meeting", "add", "stuurgroep", "2026-02-05", env=env)
    assert added.code == 0, added.err
    assert added.out.splitlines() == ["stuurgroep: meeting on 2026-02-05 added"]
    assert added.err.splitlines() == [
        "warning: governance body 'stuurgroep': meeting date 2026-02-05 is after the "
        "programme's end 2025-12-31: it is held as a closing meeting, with its status round "
        "and agenda pack (is the year right?)",
    ]
    # The end day is within the programme; the day after (a holiday) is not (review47 4).
    on_end = regie("meeting", "add", "stuurgroep", "2025-12-31", env=env)
    assert on_end.code == 0 and on_end.out.splitlines() == [
        "stuurgroep: meeting on 2025-12-31 added"
    ]
    assert "warning" not in on_end.err, on_end.err
    after = regie("meeting", "add", "stuurgroep", "2026-01-01", "--allow-day-off", env=env)
    assert after.code == 0, after.err
    assert "meeting date 2026-01-01 is after the programme's end 2025-12-31" in after.err


@pytest.mark.parametrize(
    ("meeting", "last"), [("2016-03-15", False), ("2020-09-15", False), ("2020-10-13", True)]
)
def test_a_meeting_without_a_next_one_is_the_last_only_near_the_end(
    tmp_path: Path, migrated_url: str, meeting: str, last: bool
) -> None:
    """review48 1: the seed plan's klankbordgroep has no schedule (end 31 December 2020), so
    no next meeting is ever known. A pack nearly five years before the end says nothing of it;
    one whose look-ahead (a quarter) reaches the end says it is the last meeting before it."""
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": migrated_url,
           "PREFECT_API_URL": "", "REGIE_PLAN": str(SEED_PLAN)}  # fmt: skip
    assert regie("meeting", "add", "klankbordgroep", meeting, env=env).code == 0
    as_of = (date.fromisoformat(meeting) - timedelta(days=7)).isoformat()
    args = ["--body", "klankbordgroep", "--meeting", meeting, "--as-of", as_of, "--format", "md"]
    made = regie("report", "agenda", *args, env=env)
    assert made.code == 0, made.err
    text = " ".join(made.out.split())
    said = "Dit is de laatste vergadering voordat het programma op 31 december 2020 eindigt; "
    assert (said in text) is last
    assert "eindigt op" not in text and "geëindigd" not in text
