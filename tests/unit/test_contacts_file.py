"""`channel:` and `deputy:` in the plan schema, and the separate contacts file (REGIE_CONTACTS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.planfile import PlanInvalid, load_plan
from governance.planfile.contacts import validate_contacts_file

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "plans" / "minimal.yaml"

CONTACTS = """\
contacts:
  - id: office
    name: Programmabureau
    organisation: IenM
    email: pmo@example.nl
    slack: U0OFFICE
    programme_office: true
  - id: rivm
    name: R. Ivm
    organisation: RIVM
    email: r.ivm@example.nl
    channel: email
    deputy: rivm2
  - id: rivm2
    name: R. Twee
    organisation: RIVM
    slack: r.twee@example.nl
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "contacts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_file_replaces_the_plans_contacts(tmp_path: Path) -> None:
    plan, problems = validate_contacts_file(_write(tmp_path, CONTACTS), load_plan(MINIMAL))
    assert problems == [] and plan is not None
    assert [c.id for c in plan.contacts] == ["office", "rivm", "rivm2"]
    rivm = plan.contacts[1]
    assert (rivm.channel, rivm.deputy) == ("email", "rivm2")
    assert plan.contacts[0].programme_office and plan.contacts[2].channel is None


def test_problems_are_path_line_col(tmp_path: Path) -> None:
    text = """\
contacts:
  - id: a
    name: A
    organisation: Nergens
    channel: fax
    deputy: zz
  - id: b
    name: B
    organisation: RIVM
    deputy: b
    telefoon: 06
"""
    path = _write(tmp_path, text)
    plan, problems = validate_contacts_file(path, load_plan(MINIMAL))
    assert plan is None
    lines = [str(p) for p in problems]
    assert lines == [
        f"{path}:4:19: unknown organisation 'Nergens' in 'organisation'",
        f"{path}:5:14: unknown channel 'fax': use slack or email",
        f"{path}:6:13: unknown contact 'zz' in 'deputy'",
        f"{path}:10:13: contact 'b' cannot be their own deputy",
        f"{path}:11:5: unknown key 'telefoon' in contact" + lines[4].split("in contact", 1)[1],
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty: a contacts file needs a 'contacts:' list"),
        ("- a\n", "1:1: a contacts file must be a mapping with 'contacts:', not a list"),
        ("contacts: [\n", "YAML syntax error"),
        ("people: []\n", "1:1: unknown key 'people'"),
    ],
)
def test_bad_files(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    plan, problems = validate_contacts_file(path, load_plan(MINIMAL))
    assert plan is None and problems
    assert message in "\n".join(str(p) for p in problems)
    assert all(str(p).startswith(str(path)) for p in problems)


def test_contact_ids_keep_to_the_characters_keys_allow(tmp_path: Path) -> None:
    """Message keys and event payloads join contact ids with ',', '+' and ':'; an id holding
    one of them could be read as two contacts (or another contact's digest)."""
    entries = ["jan.de-vries@ienm.nl", "J_Smit2", "programma,bureau", "a+b", "x:2", "-lid", "Ü"]
    text = "contacts:\n" + "".join(
        f"  - id: '{cid}'\n    name: N\n    organisation: RIVM\n" for cid in entries
    )
    path = _write(tmp_path, text)
    plan, problems = validate_contacts_file(path, load_plan(MINIMAL))
    assert plan is None
    rule = "may only contain a-z, A-Z, 0-9, '.', '_', '-' and '@', starting with a letter or digit"
    assert [(p.line, p.col, p.message) for p in problems] == [
        (2 + 3 * n, 9, f"contact id {entries[n]!r} {rule}") for n in range(2, len(entries))
    ]
    accepted = text.split("  - id: 'programma,bureau'")[0]
    plan, problems = validate_contacts_file(_write(tmp_path, accepted), load_plan(MINIMAL))
    assert problems == [] and plan is not None
    assert [c.id for c in plan.contacts] == entries[:2]


def test_a_missing_file(tmp_path: Path) -> None:
    plan, problems = validate_contacts_file(tmp_path / "nope.yaml", load_plan(MINIMAL))
    assert plan is None and [str(p) for p in problems] == [
        f"{tmp_path / 'nope.yaml'}: no such file"
    ]


def test_channel_and_deputy_in_the_plan_itself(tmp_path: Path) -> None:
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "    programme_office: true\n",
        "    programme_office: true\n    channel: slak\n    deputy: jdevries\n",
        1,
    )
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanInvalid) as caught:
        load_plan(path)
    found = str(caught.value)
    assert "unknown channel 'slak': use slack or email (did you mean 'slack'?)" in found
    assert "contact 'jdevries' cannot be their own deputy" in found


def test_the_slack_manifest_asks_for_the_scopes_delivery_uses() -> None:
    from ruamel.yaml import YAML

    manifest = YAML(typ="safe").load(ROOT / "notifications" / "slack-manifest.yaml")
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"chat:write", "im:write", "users:read", "users:read.email", "im:history"} <= scopes
