"""A decision's edit of a plan written in flow style (walk56e 3): rows one per line as flow
mappings (``- {id: …, gereed: …}``) and lists of rows broken over lines (``[{…},`` / ``{…}]``)
stay as the author wrote them: no comment inside the braces, no brace or comma at column 0,
no list joined onto one line; every other line as it was."""

from __future__ import annotations

import difflib
from pathlib import Path

from governance.decisions import promise_in_effect
from governance.planfile import parse_plan
from regie.decisions import edit_plan_text, kept_promises

MINIMAL = (
    Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "minimal.yaml"
).read_text(encoding="utf-8")
DECIDED = "besluit Stuurgroep MVI, 12 januari 2016"
LATER = "besluit Stuurgroep MVI, 9 februari 2016"
NOTE = f'# was "idem" (as 1.1.1), written out by {DECIDED}'

BLOCK_1_1 = """\
          - id: "1.1.1"
            title: Inventarisatie
            gereed: Q3-2015
            owners: [RIVM]
          - id: "1.1.2"
            title: Uitvoeren overlegronde
            gereed: idem
"""
FLOW_1_1 = """\
          - {id: "1.1.1", title: Inventarisatie, gereed: Q3-2015, owners: [RIVM]}
          - {id: "1.1.2", title: Uitvoeren overlegronde, gereed: idem}
"""
BLOCK_1_2 = """\
        milestones:
          - id: "1.2.1"
            title: Verkennen draagvlak
            gereed: Afhankelijk van overleg bestuurlijke afspraken
            depends_on: ["1.1.2"]
          - id: "1.2.2"
            title: Opstellen afsprakenkader
            gereed: idem
            depends_on: ["1.1.1"]
          - id: "1.2.3"
            title: Ondertekenen
            gereed: Ntb
"""
FLOW_1_2 = """\
        milestones: [{id: "1.2.1", title: Verkennen draagvlak, gereed: Afhankelijk van overleg, depends_on: ["1.1.2"]},
          {id: "1.2.2", title: Opstellen afsprakenkader, gereed: idem, depends_on: ["1.1.1"]},
          {id: "1.2.3", title: Ondertekenen, gereed: Ntb}]
"""  # noqa: E501
FLOW = MINIMAL.replace(BLOCK_1_1, FLOW_1_1).replace(BLOCK_1_2, FLOW_1_2)


def _changed(before: str, after: str) -> list[str]:
    """The lines ``after`` has that ``before`` has not (in order)."""
    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    return [line[2:] for line in diff if line.startswith("+ ")]


def _removed(before: str, after: str) -> list[str]:
    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    return [line[2:] for line in diff if line.startswith("- ")]


def _readable(text: str) -> None:
    for line in text.splitlines():
        assert not line.startswith(("}", ",", "]")), line
        if "{" in line and "#" in line:  # a comment only after the row's closing brace
            assert line.index("}") < line.index("#"), line


def test_the_fixture_is_the_minimal_plan_in_flow_style() -> None:
    assert FLOW_1_1 in FLOW and FLOW_1_2 in FLOW
    assert parse_plan(FLOW).programme.id == parse_plan(MINIMAL).programme.id


def test_an_idem_flow_row_written_out_keeps_its_note_after_the_closing_brace() -> None:
    edited = edit_plan_text(
        FLOW, "1.1.1", new_gereed="Q2-2016", cancel=False, decided=DECIDED,
        keep=kept_promises(parse_plan(FLOW), "1.1.1"),
    )  # fmt: skip
    _readable(edited)
    assert _changed(FLOW, edited) == [
        '          - {id: "1.1.1", title: Inventarisatie, gereed: "Q2-2016", gereed_original: '
        f'"Q3-2015", revised_by: "{DECIDED}", owners: [RIVM]}}',
        '          - {id: "1.1.2", title: Uitvoeren overlegronde, gereed: "Q3-2015"}  ' + NOTE,
    ]
    plan = parse_plan(edited)
    assert promise_in_effect(plan, "1.1.2") == "Q3-2015"
    # A later decision on that row: one line still, the note after the brace.
    again = edit_plan_text(
        edited, "1.1.2", new_gereed="Q3-2016", cancel=False, decided=LATER,
        promised=promise_in_effect(plan, "1.1.2"),
    )  # fmt: skip
    _readable(again)
    [line] = _changed(edited, again)
    assert line.startswith(
        '          - {id: "1.1.2", title: Uitvoeren overlegronde, gereed: "Q3-2016", '
        f'gereed_original: "Q3-2015", revised_by: "{LATER}"}}'
    ) and line.endswith(f"}}  {NOTE}")
    moved = next(m for m in parse_plan(again).milestones() if m.id == "1.1.2")
    assert (moved.gereed, moved.original_gereed, moved.revised_by) == ("Q3-2016", "Q3-2015", LATER)
    # Dropped and restored: the row as it was, its note two spaces after the brace again.
    dropped = edit_plan_text(again, "1.1.2", new_gereed=None, cancel=True, decided=LATER)
    back = edit_plan_text(
        dropped, "1.1.2", new_gereed=None, cancel=False, decided=LATER, restore=True
    )
    assert back == again


def test_a_flow_list_of_rows_keeps_its_line_breaks_and_gets_no_comment_inside() -> None:
    plan = parse_plan(FLOW)
    edited = edit_plan_text(
        FLOW, "1.2.1", new_gereed="Q2-2016", cancel=False, decided=DECIDED,
        keep=kept_promises(plan, "1.2.1"),
    )  # fmt: skip
    _readable(edited)
    assert "#" not in "".join(_changed(FLOW, edited))
    assert _changed(FLOW, edited) == [
        '        milestones: [{id: "1.2.1", title: Verkennen draagvlak, gereed: "Q2-2016", '
        f'gereed_original: "Afhankelijk van overleg", revised_by: "{DECIDED}", '
        'depends_on: ["1.1.2"]},',
        '          {id: "1.2.2", title: Opstellen afsprakenkader, gereed: "Afhankelijk van '
        'overleg", depends_on: ["1.1.1", "1.1.2"]},',
    ]
    below = next(m for m in parse_plan(edited).milestones() if m.id == "1.2.2")
    assert below.depends_on == ("1.1.1", "1.1.2")


def test_cancel_and_restore_in_flow_rows_touch_only_their_row() -> None:
    for item, row in [("1.1.1", 0), ("1.2.3", 2)]:
        dropped = edit_plan_text(FLOW, item, new_gereed=None, cancel=True, decided=DECIDED)
        _readable(dropped)
        [line] = _changed(FLOW, dropped)
        assert f'cancelled_by: "{DECIDED}"' in line and f'id: "{item}"' in line, row
        back = edit_plan_text(
            dropped, item, new_gereed=None, cancel=False, decided=LATER, restore=True
        )
        assert back == FLOW
        dated = edit_plan_text(
            dropped, item, new_gereed="Q4-2016", cancel=False, decided=LATER, restore=True
        )
        _readable(dated)
        [line] = _changed(dropped, dated)
        assert "cancelled_by" not in line and f'revised_by: "{LATER}"' in line
    # An action dropped: one key line of its own, the flow list below untouched.
    dropped = edit_plan_text(FLOW, "1.2", new_gereed=None, cancel=True, decided=DECIDED)
    assert _changed(FLOW, dropped) == [f'        cancelled_by: "{DECIDED}"']
    assert _removed(FLOW, dropped) == []


def test_an_edit_elsewhere_leaves_a_flow_list_broken_over_lines_as_it_is() -> None:
    edited = edit_plan_text(
        FLOW, "1.1.2", new_gereed="Q2-2016", cancel=False, decided=DECIDED,
        promised=promise_in_effect(parse_plan(FLOW), "1.1.2"),
    )  # fmt: skip
    assert FLOW_1_2 in edited
    assert len(_changed(FLOW, edited)) == 1 and len(_removed(FLOW, edited)) == 1


def test_a_block_row_written_out_then_redated_carries_the_note_at_its_original() -> None:
    plan = parse_plan(MINIMAL)
    edited = edit_plan_text(
        MINIMAL, "1.1.1", new_gereed="Q2-2016", cancel=False, decided=DECIDED,
        keep=kept_promises(plan, "1.1.1"),
    )  # fmt: skip
    assert f'            gereed: "Q3-2015"  {NOTE}' in edited.splitlines()
    again = edit_plan_text(
        edited, "1.1.2", new_gereed="Q3-2016", cancel=False, decided=LATER,
        promised=promise_in_effect(parse_plan(edited), "1.1.2"),
    )  # fmt: skip
    assert _changed(edited, again) == [
        '            gereed: "Q3-2016"',
        f'            gereed_original: "Q3-2015"  {NOTE}',
        f'            revised_by: "{LATER}"',
    ]


def test_line_breaks_are_put_back_only_between_the_items_of_a_flow_collection() -> None:
    from regie.yaml_layout import kept_line_breaks

    before = "a: [1,\n  2]\nb: x\n  y\nc: {d: 'e,\n  f'}\n"
    # A scalar's text (plain or quoted) keeps ruamel's one space: only the list is re-broken.
    after = "a: [1, 2]\nb: x y\nc: {d: 'e, f'}\n"
    assert kept_line_breaks(before, after) == "a: [1,\n  2]\nb: x y\nc: {d: 'e, f'}\n"
    assert kept_line_breaks(before, "a: [1, 2]\nb: x  y\n") == "a: [1,\n  2]\nb: x  y\n"


FLOW_ACTION = """\
      - {id: "1.1", title: Aansluiten bij convenanten, owners: [IenM], milestones: [
          {id: "1.1.1", title: Inventarisatie, gereed: Q3-2015, owners: [RIVM]},
          {id: "1.1.2", title: Uitvoeren overlegronde, gereed: idem}]}
"""


def test_an_action_written_as_one_flow_mapping_keeps_its_lines() -> None:
    block = '      - id: "1.1"\n        title: Aansluiten bij convenanten\n'
    block += "        owners: [IenM]\n        milestones:\n" + FLOW_1_1
    assert block in FLOW
    text = FLOW.replace(block, FLOW_ACTION)
    plan = parse_plan(text)
    for item, new_gereed, cancel in [("1.1", None, True), ("1.1", "Q4-2016", False)]:
        edited = edit_plan_text(text, item, new_gereed=new_gereed, cancel=cancel, decided=DECIDED)
        _readable(edited)
        [line] = _changed(text, edited)
        assert line.startswith('      - {id: "1.1", title: Aansluiten bij convenanten, ')
        assert line.endswith("owners: [IenM], milestones: [")
    edited = edit_plan_text(
        text, "1.1.1", new_gereed="Q4-2016", cancel=False, decided=DECIDED,
        keep=kept_promises(plan, "1.1.1"),
    )  # fmt: skip
    _readable(edited)
    assert _changed(text, edited) == [
        '          {id: "1.1.1", title: Inventarisatie, gereed: "Q4-2016", gereed_original: '
        f'"Q3-2015", revised_by: "{DECIDED}", owners: [RIVM]}},',
        '          {id: "1.1.2", title: Uitvoeren overlegronde, gereed: "Q3-2015"}]}',
    ]
    assert promise_in_effect(parse_plan(edited), "1.1.2") == "Q3-2015"


def test_a_row_left_with_the_note_inside_its_braces_is_mended_when_edited_again() -> None:
    """What an earlier version wrote (walk56e 3): the note inside the braces, ``}`` below."""
    mangled = FLOW.replace(
        '          - {id: "1.1.2", title: Uitvoeren overlegronde, gereed: idem}\n',
        f'          - {{id: "1.1.2", title: Uitvoeren overlegronde, gereed: "Q3-2015"  {NOTE}\n'
        "}\n",
    )
    assert parse_plan(mangled).programme.id == "mvi-test" and "\n}\n" in mangled
    for new_gereed, cancel in [("Q3-2016", False), (None, True)]:
        edited = edit_plan_text(
            mangled, "1.1.2", new_gereed=new_gereed, cancel=cancel, decided=LATER,
            promised="Q3-2015",
        )  # fmt: skip
        _readable(edited)
        [line] = _changed(mangled, edited)
        assert line.startswith('          - {id: "1.1.2", title: Uitvoeren overlegronde, gereed: ')
        assert line.endswith(f"}}  {NOTE}")
