"""A plan kept with an archived report is read with the checks of the parser that accepted it
(review9 3).

Parser 13 refuses two organisations shown alike and an organisation name of more than one line;
parser 12 accepted both. A pack archived under parser 12 with such a plan must still be made
again from its kept text (``plan_source == "kept"``, same bytes), while the plan file with the
same problem is refused by ``plan validate`` at ``PATH:LINE:COL``. A kept text that cannot be
read says so in one line instead of rebuilding from today's plan file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from governance import parser_version
from governance.planfile import load, validate_plan_file
from regie.bootstrap import App
from regie.errors import InvalidInput
from regie.report_reproduce import reproduce
from regie.reports import agenda, voortgang
from tests.cli_in_process import regie
from tests.integration.test_owner_names import AS_OF, MEETING
from tests.integration.test_owner_names import app as app

#: Plans parser 12 accepted that parser 13 refuses, each with the problem's line in the plan
#: file (the answers.yaml test plan, owners by slugs; the province as "PNW").
REFUSED_NOW = {
    # Two organisations shown alike: the municipality named as the province's short name.
    "alike": (
        ("    name: Gemeente Rivierstad\n", "    name: PNW\n"),
        "is shown as 'PNW', as another one is",
    ),
    # A folded name keeps its line break (no '>-').
    "two-lines": (
        ("    name: Gemeente Rivierstad\n", "    name: >\n      Gemeente Rivierstad\n"),
        "'name' must be one line",
    ),
}


def _as_parser(monkeypatch: pytest.MonkeyPatch, version: int) -> None:
    """This Regie as if its plan parser were ``version``: the hash names it, and the checks
    added after it are not made (as that parser did not make them)."""
    monkeypatch.setattr(load, "PARSER_VERSION", version)
    monkeypatch.setattr(parser_version, "PARSER_VERSION", version)


def _archive_under_parser_12(app: App, problem: str) -> tuple[int, bytes]:
    """A pack archived while parser 12 read the plan file with ``problem`` in it."""
    (old, new), _ = REFUSED_NOW[problem]
    plan = app.settings.plan_path
    text = plan.read_text(encoding="utf-8")
    assert old in text
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        _as_parser(mp, 12)
        made = agenda(app, "stuurgroep", MEETING, AS_OF, "md")
    assert made.archive_id is not None
    return made.archive_id, made.content


@pytest.mark.parametrize("problem", sorted(REFUSED_NOW))
def test_a_pack_archived_with_a_plan_now_refused_is_made_again_from_its_kept_text(
    app: App, problem: str
) -> None:
    archive_id, content = _archive_under_parser_12(app, problem)
    # The pack names the owners as that plan does (layout 9): both as PNW, or the long name.
    assert b"| PNW, PNW |" in content if problem == "alike" else b"Gemeente Rivierstad" in content
    # The plan file is still the one the pack was made from: today's parser refuses it ...
    plan_file = app.settings.plan_path
    refused, problems = validate_plan_file(plan_file)
    assert refused is None and problems
    _, expected = REFUSED_NOW[problem]
    said = [str(p) for p in problems if expected in p.message]
    assert said and all(x.startswith(f"{plan_file}:") for x in said), problems
    assert all(p.line > 0 and p.col > 0 for p in problems if expected in p.message)
    # ... and the pack is made again from the plan kept with it, with the same bytes.
    again = reproduce(app, archive_id)
    assert again.plan_source == "kept", again.plan_source
    assert again.matches, again.content.decode()[:600]
    assert again.content == content


@pytest.mark.parametrize("problem", sorted(REFUSED_NOW))
def test_the_fixed_plan_file_does_not_change_the_rebuild(app: App, problem: str) -> None:
    """The plan file fixed as `plan validate` asks: the archive still rebuilds from its own
    plan, not from today's (the review's scenario: DIFFERS with ``plan_source == "current"``)."""
    archive_id, _ = _archive_under_parser_12(app, problem)
    plan = app.settings.plan_path
    (_, new), _ = REFUSED_NOW[problem]
    fixed = plan.read_text(encoding="utf-8").replace(new, "    name: Gemeente Rivierdal\n", 1)
    plan.write_text(fixed, encoding="utf-8")
    assert validate_plan_file(plan)[1] == []
    again = reproduce(app, archive_id)
    assert (again.plan_source, again.matches) == ("kept", True)


def test_the_plan_file_with_the_problem_is_refused_at_its_position(
    app: App, tmp_path: Path
) -> None:
    """`regie plan validate` on the plan file with both problems: one line each, PATH:LINE:COL,
    exit 2 (the kept text's leniency is for archives only)."""
    plan = tmp_path / "refused.yaml"
    text = app.settings.plan_path.read_text(encoding="utf-8")
    for (old, new), _ in REFUSED_NOW.values():
        text = text.replace(old, new, 1)
    text = text.replace(
        "    name: Programmabureau Fietsroutes\n", "    name: >\n      Programmabureau\n", 1
    )
    plan.write_text(text, encoding="utf-8")
    result = regie("plan", "validate", str(plan), env={"REGIE_HOME": str(tmp_path / "h")})
    assert result.code == 2, result.out
    lines = result.err.strip().splitlines()
    assert any("is shown as 'PNW', as another one is" in x for x in lines), lines
    assert any("'name' must be one line" in x for x in lines), lines
    assert all(re.match(rf"{re.escape(str(plan))}:\d+:\d+: ", x) for x in lines), lines


def test_a_kept_text_no_parser_here_hashed_is_said_plainly_not_rebuilt_from_today(
    app: App,
) -> None:
    """A pack archived by a newer Regie (parser 14) and reproduced by this one: its kept text's
    hash is none this parser knows; reproduce says so in one line, naming the archive, instead
    of rebuilding from today's plan file and calling it different."""
    with pytest.MonkeyPatch.context() as mp:
        _as_parser(mp, load.PARSER_VERSION + 1)
        made = agenda(app, "stuurgroep", MEETING, AS_OF, "md")
    assert made.archive_id is not None
    with pytest.raises(InvalidInput) as caught:
        reproduce(app, made.archive_id)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"archived report {made.archive_id} (agenda, plan ")
    assert "newer Regie" in message


def test_a_progress_report_archived_with_a_plan_now_refused_is_made_again(app: App) -> None:
    plan = app.settings.plan_path
    (old, new), _ = REFUSED_NOW["alike"]
    plan.write_text(plan.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        _as_parser(mp, 12)
        made = voortgang(app, MEETING.replace(day=1), MEETING.replace(day=30), AS_OF, "md")
    assert made.archive_id is not None
    again = reproduce(app, made.archive_id)
    assert (again.plan_source, again.matches) == ("kept", True)


#: One-line checks added while a parser version was current (no raise of their own), each with
#: the version that hashed plans without it (layout35 2): a text that version accepted before
#: the check came was kept, and must still be read.
REFUSED_SINCE = {
    # A step's title folded with '>' (keeps its line break): one line while 5 was current.
    "step-title": (
        ("    title: Routes ontwerpen\n", "    title: >\n      Routes ontwerpen\n"),
        ("steps", "title"),
        5,
    ),
    "body-name": (
        ("    name: Stuurgroep Fietsroutes\n", "    name: >\n      Stuurgroep Fietsroutes\n"),
        ("governance", "name"),
        5,
    ),
    # An extra day off's name: one line while 7 was current.
    "day-off-name": (
        (
            "governance:\n",
            "calendar:\n  extra_days_off:\n    - date: 2025-12-24\n      name: >\n"
            "        Kerstavond\ngovernance:\n",
        ),
        ("calendar", "name"),
        7,
    ),
    # A meeting's location over two lines: one line from parser 19 on (walk57b 7; a folded
    # '>' alone, whose break is at the end, is still taken: review57 3).
    "meeting-location": (
        (
            "    purpose: Sturen op voortgang\n",
            "    purpose: Sturen op voortgang\n    meetings:\n      location: |-\n        Zaal 1\n"
            "        Ingang B\n      dates: [2025-12-09]\n",
        ),
        ("governance", "location"),
        18,
    ),
}


@pytest.mark.parametrize("problem", sorted(REFUSED_SINCE))
def test_a_kept_plan_an_older_parser_accepted_with_a_two_line_value_is_read(
    app: App, problem: str
) -> None:
    """A pack archived while parser 5 (7) read a plan with a value the later one-line check
    refuses is made again from its kept text; the plan file is refused at PATH:LINE:COL."""
    from governance.planfile import safety

    (old, new), field, version = REFUSED_SINCE[problem]
    plan = app.settings.plan_path
    text = plan.read_text(encoding="utf-8")
    assert old in text
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        _as_parser(mp, version)
        # That parser before the check came: the field was not in the one-line set.
        mp.setattr(safety, "ONE_LINE_FIELDS", safety.ONE_LINE_FIELDS - {field})
        made = agenda(app, "stuurgroep", MEETING, AS_OF, "md")
    assert made.archive_id is not None
    refused, problems = validate_plan_file(plan)
    assert refused is None and len(problems) == 1, problems
    said = str(problems[0])
    assert "must be one line" in said and "\n" not in said, said
    assert re.match(rf"{re.escape(str(plan))}:\d+:\d+: ", said), said
    again = reproduce(app, made.archive_id)
    assert (again.plan_source, again.matches) == ("kept", True), again.content.decode()[:600]
    assert again.content == made.content
