"""`escalations: true` on a governance body names where escalations go (docs/plan-schema.md):
the words in a body's name are only the fallback ("Adviesraad" and "Bestuurlijk overleg" read
as steering by them)."""

from __future__ import annotations

from governance.reminders import steering_body
from tests.unit.planfile.plantext import plan, plan_text, problems

_ADVICE = "{id: adviesraad, name: Adviesraad, purpose: Adviseert}"
_BOARD = "{id: dagelijks, name: Dagelijks bestuur, purpose: Beslist}"
_TEAM = "{id: kernteam, name: Kernteam, purpose: Beslist over verschuivingen"


def test_the_marked_body_gets_the_escalations_not_the_first_named_like_one() -> None:
    marked = plan(plan_text(governance=f"[{_ADVICE}, {_TEAM}, escalations: true}}]"))
    body = steering_body(marked)
    assert body is not None and body.id == "kernteam"
    unmarked = plan(plan_text(governance=f"[{_ADVICE}, {_TEAM}}}]"))
    fallback = steering_body(unmarked)
    assert fallback is not None and fallback.id == "adviesraad"  # "raad": the old guess


def test_escalations_go_to_one_body() -> None:
    text = plan_text(
        governance=f"[{_BOARD[:-1]}, escalations: true}}, {_TEAM}, escalations: true}}]"
    )
    line = text.splitlines()[3]
    column = line.index("escalations", line.index("kernteam")) + len("escalations: ") + 1
    assert problems(text) == [
        f"plan.yaml:4:{column}: 'escalations: true' is already set on 'dagelijks': escalations go "
        "to one body"
    ]
    (bad,) = problems(plan_text(governance=f"[{_TEAM}, escalations: ja}}]"))
    assert "'escalations'" in bad
