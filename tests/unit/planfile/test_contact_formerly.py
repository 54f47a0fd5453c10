"""A contact's ``formerly``: the ids a renamed contact had before (docs/plan-schema.md, "Contact
ids"), in the plan file and in the separate contacts file (REGIE_CONTACTS). The plan resolves
them once (:meth:`Plan.contact`, :meth:`Plan.person`, :meth:`Plan.known_as`); each problem is
one line ``PATH:LINE:COL`` at the old id."""

from __future__ import annotations

from pathlib import Path

from governance.parser_version import PARSER_VERSION
from governance.planfile import load_plan
from governance.planfile.contacts import validate_contacts_file
from governance.planfile.load import parse_plan
from tests.unit.planfile.plantext import plan_text, problems
from tests.unit.test_contacts_file import MINIMAL

STEPS = """\
  - number: 1
    title: S
    actions:
      - id: "1.1"
        title: A
        owners: [IenM]
        gereed: Q1-2025
"""

CONTACTS = """\
contacts:
  - id: anna-w
    name: Anna de Wit
    organisation: IenM
    formerly: [{anna}]
  - id: bert
    name: Bert Bond
    organisation: RIVM
    formerly: [{bert}]
"""


def _plan(anna: str = "anna", bert: str = "b.bond") -> str:
    contacts = CONTACTS.format(anna=anna, bert=bert).removeprefix("contacts:\n")
    return plan_text(STEPS, contacts=contacts)


def test_the_old_ids_name_the_same_person() -> None:
    plan = parse_plan(_plan(), "plan.yaml")
    anna = plan.contact("anna-w")
    assert anna is not None and anna.formerly == ("anna",)
    assert plan.contact("anna") is anna and plan.person("anna") == "anna-w"
    assert plan.person("anna-w") == "anna-w" and plan.person("left") == "left"
    assert plan.known_as(["anna-w"]) == {"anna-w", "anna"}
    assert PARSER_VERSION >= 20  # a field of the pickled contact


def test_an_id_listed_as_its_own_former_id() -> None:
    assert problems(_plan(anna="anna-w")) == [
        f"plan.yaml:{_line(_plan(anna='anna-w'), 'formerly: [anna-w]')}:16: contact 'anna-w' "
        "names their own id in 'formerly'"
    ]


def test_an_old_id_that_is_a_current_id() -> None:
    text = _plan(bert="anna-w")
    assert problems(text) == [
        f"plan.yaml:{_line(text, 'formerly: [anna-w]')}:16: contact 'bert': 'formerly' names "
        "'anna-w', which is still a contact's id; 'formerly' is the id this person had before "
        "the rename, and that id must be gone from the contacts"
    ]


def test_the_same_old_id_on_two_contacts() -> None:
    text = _plan(anna="old", bert="old")
    first = _line(text, "formerly: [old]")
    assert problems(text) == [
        f"plan.yaml:{first + 4}:16: contact 'bert': 'old' is already named in 'formerly' by "
        f"contact 'anna-w' at line {first}; an old id is one person's"
    ]


def test_an_old_id_must_look_like_an_id() -> None:
    text = _plan(anna='"an na"')
    assert problems(text) == [
        f"plan.yaml:{_line(text, 'an na')}:16: contact 'anna-w': former id 'an na' may only "
        "contain a-z, A-Z, 0-9, '.', '_', '-' and '@', starting with a letter or digit"
    ]


def test_the_contacts_file_takes_it_and_checks_it(tmp_path: Path) -> None:
    path = tmp_path / "contacts.yaml"
    path.write_text(CONTACTS.format(anna="anna", bert="b.bond"), encoding="utf-8")
    plan, found = validate_contacts_file(path, load_plan(MINIMAL))
    assert found == [] and plan is not None
    assert plan.person("b.bond") == "bert"
    path.write_text(CONTACTS.format(anna="bert", bert="bert"), encoding="utf-8")
    plan, found = validate_contacts_file(path, load_plan(MINIMAL))
    assert plan is None
    assert [str(p) for p in found] == [
        f"{path}:5:16: contact 'anna-w': 'formerly' names 'bert', which is still a contact's id; "
        "'formerly' is the id this person had before the rename, and that id must be gone from "
        "the contacts",
        f"{path}:9:16: contact 'bert' names their own id in 'formerly'",
    ]


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_deputy_named_by_an_old_id_is_told_the_new_one() -> None:
    """A rename's other half: bert's deputy line still says `anna` after anna became anna-w."""
    text = _plan().replace("    formerly: [b.bond]\n", "    formerly: [b.bond]\n    deputy: anna\n")
    assert problems(text) == [
        f"plan.yaml:{_line(text, 'deputy: anna')}:13: 'deputy' names 'anna', now contact "
        "'anna-w' (its 'formerly'): name the contact by its id, 'anna-w'"
    ]
    assert problems(text.replace("deputy: anna", "deputy: anne")) == [
        f"plan.yaml:{_line(text, 'deputy: anna')}:13: unknown contact 'anne' in 'deputy' "
        "(did you mean 'anna-w'?)"
    ]
