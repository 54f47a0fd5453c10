"""The first meeting's pack, per layout (walk49 10): layout 16 says in *Besluitenlijst vorige
vergadering* that there is no previous meeting; the golden file of layout 15 was made by the code
before it (main at b1342de, ``REGIE_UPDATE_GOLDEN=1`` on a copy of its tree) and is made again
byte for byte, archived and reproduced. ``REGIE_UPDATE_GOLDEN=1`` writes the current layout's
file only."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.integration.test_agenda_since import second  # noqa: F401 (a fixture)

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
UPDATE = os.environ.get("REGIE_UPDATE_GOLDEN") == "1"
MEETING, AS_OF = date(2024, 3, 4), date(2024, 3, 1)
# The html pack reads what the md one reads; PostgreSQL runs the md one (pg_statements checks).
LAYOUT_ONLY = pytest.mark.one_database("the pack's layout, from the same SQL as the md pack")
#: The first layout with a golden file of this pack.
FIRST = 15


def _name(layout: int, fmt: str) -> str:
    return f"agenda_first_programmaraad_{MEETING}_asof_{AS_OF}.layout{layout}.{fmt}"


@pytest.mark.parametrize("fmt", ["md", pytest.param("html", marks=LAYOUT_ONLY)])
def test_each_layout_makes_the_first_meeting_s_pack_again_as_built(
    second: App,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
) -> None:
    from regie import report_build
    from regie.reports import agenda, reproduce

    current = report_build.AGENDA_LAYOUT
    if UPDATE:
        made = agenda(second, "programmaraad", MEETING, AS_OF, fmt, archive=False)
        (GOLDEN / _name(current, fmt)).write_bytes(made.content)
    for layout in range(FIRST, current + 1):
        with monkeypatch.context() as then:
            then.setattr(report_build, "AGENDA_LAYOUT", layout)
            made = agenda(second, "programmaraad", MEETING, AS_OF, fmt)
        assert made.parameters["layout"] == layout
        assert made.content == (GOLDEN / _name(layout, fmt)).read_bytes(), layout
        again = reproduce(second, made.archive_id or 0)
        assert again.matches and again.content == made.content
    words = "Dit is de eerste vergadering: er is geen vorige vergadering"
    assert words in (GOLDEN / _name(16, fmt)).read_text(encoding="utf-8")
    assert words not in (GOLDEN / _name(15, fmt)).read_text(encoding="utf-8")
