"""A decision's edit keeps the plan file's own indentation (walk57c 6): a plan written as
PyYAML writes it (lists under their key, not two in) came back with every list of the file
re-indented — thousands of changed lines for a four-line decision."""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from regie.decisions import edit_plan_text
from regie.yaml_layout import DEFAULT_INDENT, file_indent

SEED = (Path(__file__).resolve().parents[2] / "plan" / "actions.yaml").read_text(encoding="utf-8")
DECIDED = "besluit Stuurgroep MVI, 12 januari 2016"


def _dumped(**options: object) -> str:
    data = yaml.safe_load(SEED)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096, **options)


def _changed(before: str, after: str) -> list[str]:
    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    return [line for line in diff if line[:2] in ("+ ", "- ")]


def _item(text: str, item_id: str) -> dict[str, object]:
    for step in yaml.safe_load(text)["steps"]:
        for action in step["actions"]:
            for row in [action, *action.get("milestones", [])]:
                if row["id"] == item_id:
                    return dict(row)
    raise AssertionError(item_id)


def test_a_plan_written_as_pyyaml_writes_it_changes_only_the_decided_lines() -> None:
    text = _dumped()
    assert file_indent(text) == (2, 2, 0)  # "- id:" right under its key
    after = edit_plan_text(text, "1.1.2", new_gereed="Q2-2016", cancel=False, decided=DECIDED)
    changed = _changed(text, after)
    # gereed replaced (one line out, one in), gereed_original and revised_by added.
    assert len(changed) == 4, changed[:6]
    item = _item(after, "1.1.2")
    assert (item["gereed"], item["revised_by"]) == ("Q2-2016", DECIDED)
    cancelled = edit_plan_text(text, "1.3.3", new_gereed=None, cancel=True, decided=DECIDED)
    assert len(_changed(text, cancelled)) == 1


def test_the_seed_layout_and_a_text_without_lists_keep_the_defaults() -> None:
    assert file_indent(SEED) == DEFAULT_INDENT
    assert file_indent("schema: 1\nprogramme:\n  id: x\n") == (2, 4, 2)
    after = edit_plan_text(SEED, "1.1.2", new_gereed="Q2-2016", cancel=False, decided=DECIDED)
    assert len(_changed(SEED, after)) <= 4
