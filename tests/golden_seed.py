"""The seed plan as the golden files of archived layouts were made with.

walk57a 2 and 9 changed the seed plan's data: action 2.1 no longer waits on the whole of 2.2
and 2.3, 4.2 and 4.3 wait on the overleg 1.2.1 rather than all of 1.2, and 1.3's title lost the
table's colon. A document an archived layout made from the old seed is made again from the old
seed: the golden files pin a layout, not the seed's data, so the tests that compare with them
make their plan with those changes undone (the other tests read the seed as it is).
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEED_PLAN

#: (as the seed has it now, as the golden files' seed had it, how often it occurs).
_UNDONE = (
    (
        "\n        title: Verkennen inzetten ambassadeurs voor MVI\n",
        '\n        title: "Verkennen inzetten ambassadeurs voor MVI:"\n',
        1,
    ),
    (
        '\n        source: "H3 Stap 2, Kader 3"\n',
        '\n        source: "H3 Stap 2, Kader 3"\n        depends_on: ["2.2", "2.3"]\n',
        1,
    ),
    # 4.2 and 4.3 (an action's key, indented 8: not milestone 1.2.2's)
    ('\n        depends_on: ["1.2.1"]\n', '\n        depends_on: ["1.2"]\n', 2),
)


def golden_seed_text() -> str:
    """The seed plan's text with walk57a 2 and 9's changes undone."""
    text = SEED_PLAN.read_text(encoding="utf-8")
    for now, then, times in _UNDONE:
        assert text.count(now) == times, now
        text = text.replace(now, then)
    return text


def write_golden_seed(path: Path) -> Path:
    """:func:`golden_seed_text` written to ``path`` (returned)."""
    path.write_text(golden_seed_text(), encoding="utf-8")
    return path
