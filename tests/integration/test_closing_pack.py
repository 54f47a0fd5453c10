"""A closing meeting's pack and decisions after the programme's end (end47, walk46 6, 7, 9):
agenda layout 14 says at the top that the programme ended and how much is still open, asks a
late item's new date or its lapse, and its *Statusronde* leaves out the unanswered items no
longer asked; layout 13 is made again without any of it. `decision add --set-gereed` to a date
after the end and `meeting add` after the end warn at once. The end46 closing-meeting plan
(end 31 December 2025, closing meeting 22 January 2026), SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.test_closing_meeting import _closing_env
from tests.integration.test_programme_end import _app

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
        f"**{ENDED}; 3 punten staan nog open. Daarnaast staan 2 punten zonder einddatum open, "
        "waar niet meer naar gevraagd wordt.**"
    ) in top
    assert new.count(ENDED) == 1
    assert "Nieuwe datum vaststellen voor 1.1 of het punt laten vervallen?" in new
    assert "Nieuwe datum vaststellen voor 1.2 of het punt laten vervallen?" in new
    assert "Nieuwe datum vaststellen voor 1.1?" not in new
    # Statusronde: 1.5 is no longer asked after the end (walk46 9), neither listed nor counted.
    status = new.split("## Statusronde")[1].split("##")[0]
    assert "0 van de 3 punten beantwoord" in status
    assert "1.1 Pakket vaststellen" in status and "1.5" not in status

    from regie.reports import agenda

    html = agenda(app, "stuurgroep", CLOSING, AS_OF, "html").content.decode()
    assert f'<p class="ended"><strong>{ENDED}; 3 punten staan nog open.' in html


def test_a_pack_before_the_end_is_as_layout_13_made_it(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pack of 11 December (made 4 December, before the end) has nothing of the end, and
    its *Statusronde* still names 1.5."""
    from regie import report_build
    from regie.reports import agenda
    from regie.rounds import start_round

    app = _app(_closing_env(tmp_path, migrated_url))
    start_round(app, "stuurgroep", date(2025, 12, 4), None, date(2025, 11, 27))
    made = agenda(app, "stuurgroep", date(2025, 12, 11), date(2025, 12, 4), "md")
    assert made.parameters["layout"] == report_build.AGENDA_LAYOUT == 14
    with monkeypatch.context() as then:
        then.setattr(report_build, "AGENDA_LAYOUT", 13)
        old = agenda(app, "stuurgroep", date(2025, 12, 11), date(2025, 12, 4), "md")
    assert made.content == old.content
    text = made.content.decode()
    assert "geëindigd" not in text and "1.5 Kennisdeling" in text.split("## Statusronde")[1]


def test_decision_and_meeting_after_the_end_warn_at_once(tmp_path: Path, migrated_url: str) -> None:
    """walk46 7: the warning `plan validate` gives afterwards, at once, exit 0; a meeting added
    after the end warns as a listed date after the end does."""
    env = _closing_env(tmp_path, migrated_url)
    args = ["decision", "add", "--body", "stuurgroep", "--meeting", "2026-01-22"]
    moved = regie(*args, "--set-gereed", "1.2", "Q2-2026", "--text", "Nieuwe datum", env=env)
    assert moved.code == 0, moved.err
    warned = [x for x in moved.out.splitlines() if "warning:" in x]
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
    assert kept.code == 0 and "warning" not in kept.out, kept.err
    dropped = regie(*args, "--cancel", "1.4", "--text", "Vervalt", env=env)
    assert dropped.code == 0 and "warning" not in dropped.out, dropped.out

    added = regie("meeting", "add", "stuurgroep", "2026-02-05", env=env)
    assert added.code == 0, added.err
    assert added.out.splitlines() == [
        "stuurgroep: meeting on 2026-02-05 added",
        "warning: governance body 'stuurgroep': meeting date 2026-02-05 is after the "
        "programme's end 2025-12-31: it is held as a closing meeting, with its status round "
        "and agenda pack (is the year right?)",
    ]
    before = regie("meeting", "add", "stuurgroep", "2025-12-18", env=env)
    assert before.code == 0 and before.out.splitlines() == [
        "stuurgroep: meeting on 2025-12-18 added"
    ]
