"""`regie plan validate` names the contacts it read (the plan file, or the REGIE_CONTACTS file)
and warns, one line per organisation, of one that owns open items but has no contact: its
reminders go to the programme office, or to nobody. Warnings leave the exit code at 0."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.cli_in_process import regie

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "plans"
#: The fixture plans that list contacts (and validate).
WITH_CONTACTS = sorted(
    p.name
    for p in FIXTURES.glob("*.yaml")
    if "contacts" in (yaml.safe_load(p.read_text("utf-8")) or {}) and p.name != "many_problems.yaml"
)


def expected_warnings(plan: dict, contacts: list[dict]) -> list[str]:
    """The warnings, worked out from the YAML itself: owners of items not cancelled."""
    reached = {c["organisation"] for c in contacts}
    office = any(c.get("programme_office") for c in contacts)
    owned: dict[str, int] = {}
    for step in plan["steps"]:
        for action in step.get("actions", []):
            items = []
            if action.get("gereed") is not None or not action.get("milestones"):
                items.append(action)
            items += [{"owners": action["owners"], **m} for m in action.get("milestones", [])]
            for item in items:
                if item.get("cancelled_by") or action.get("cancelled_by"):
                    continue
                for owner in item.get("owners") or action["owners"]:
                    owned[owner] = owned.get(owner, 0) + 1
    goes_to = (
        "their reminders go to the programme office"
        if office
        else "nobody receives their reminders (the plan has no programme-office contact either)"
    )
    return sorted(
        f"warning: organisation {org!r} owns {n} open item{'' if n == 1 else 's'} and has no "
        f"contact: {goes_to}"
        for org, n in owned.items()
        if org not in reached
    )


def validate(tmp_path: Path, plan: Path, contacts: str = "") -> tuple[list[str], list[str]]:
    env = {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": "",
        "REGIE_CONTACTS": contacts,
    }
    result = regie("plan", "validate", str(plan), env=env)
    assert result.code == 0, result.err  # warnings only
    lines = result.out.splitlines()
    return lines, sorted(line for line in lines if line.startswith("warning: organisation"))


def test_the_fixtures_with_contacts_are_found() -> None:
    assert {"minimal.yaml", "answers.yaml", "second_programme.yaml"} <= set(WITH_CONTACTS)


@pytest.mark.parametrize("name", WITH_CONTACTS)
def test_validate_names_the_plan_as_the_contacts_source_and_warns_per_organisation(
    tmp_path: Path, name: str
) -> None:
    """Before: nothing said where the contacts came from when REGIE_CONTACTS was not set."""
    plan = FIXTURES / name
    data = yaml.safe_load(plan.read_text("utf-8"))
    lines, warned = validate(tmp_path, plan)
    source = f"contacts: {plan} (the plan file; REGIE_CONTACTS not set), {len(data['contacts'])}"
    assert source in lines
    assert warned == expected_warnings(data, data["contacts"])


@pytest.mark.parametrize("name", WITH_CONTACTS)
def test_validate_names_the_contacts_file_and_warns_per_organisation(
    tmp_path: Path, name: str
) -> None:
    """The contacts file replaces the plan's: one contact of the first organisation only, not
    the programme office; every other owner organisation is warned of, reminders reach nobody."""
    plan = FIXTURES / name
    data = yaml.safe_load(plan.read_text("utf-8"))
    first = data["organisations"][0]["id"]
    contact = {"id": "enige", "name": "Enige", "organisation": first, "email": "e@example.nl"}
    contacts = tmp_path / "contacts.yaml"
    contacts.write_text(yaml.safe_dump({"contacts": [contact]}), "utf-8")
    lines, warned = validate(tmp_path, plan, str(contacts))
    assert f"contacts: {contacts} (REGIE_CONTACTS), 1" in lines
    assert warned == expected_warnings(data, [contact])
    assert all("nobody receives their reminders" in line for line in warned)


def test_an_organisation_whose_items_are_all_cancelled_is_not_warned_of(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    text = (FIXTURES / "toegankelijkheid.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    [warning] = expected_warnings(data, data["contacts"])
    org = warning.split("'")[1]
    for step in data["steps"]:
        for action in step["actions"]:
            for milestone in action.get("milestones", []):
                if org in (milestone.get("owners") or action["owners"]):
                    milestone["cancelled_by"] = "besluit Stuurgroep, 12 januari 2016"
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    lines, warned = validate(tmp_path, plan)
    assert warned == [], lines


#: The warning for a governance body member organisation without a contact (stuurgroep
#: review, finding 10): a body's agenda pack goes to its members' contacts only.
MEMBER = "warning: governance body member"
MVI_PLAN = Path(__file__).resolve().parents[2] / "plan" / "actions.yaml"


def expected_member_warnings(plan: dict, contacts: list[dict]) -> list[str]:
    """Worked out from the YAML itself: each member organisation no contact belongs to, with
    its bodies; nothing when there are no contacts at all (a plan not yet filled in)."""
    if not contacts:
        return []
    reached = {c["organisation"] for c in contacts}
    bodies: dict[str, list[str]] = {}
    for body in plan.get("governance") or []:
        for org in body.get("members") or []:
            if org not in reached and body["id"] not in bodies.setdefault(org, []):
                bodies[org].append(body["id"])
    return sorted(
        f"{MEMBER} {org!r} ({', '.join(ids)}) has no contact: it receives no agenda pack"
        for org, ids in bodies.items()
    )


def member_warnings(lines: list[str]) -> list[str]:
    return sorted(line for line in lines if line.startswith(MEMBER))


def test_validate_warns_of_the_stuurgroep_members_the_mvi_pack_never_reaches(
    tmp_path: Path,
) -> None:
    """Before: "OK" and nothing else, while medeoverheden and bedrijfsleven (members of the
    stuurgroep) never got an agenda pack; still exit 0."""
    lines, _ = validate(tmp_path, MVI_PLAN)
    assert member_warnings(lines) == [
        f"{MEMBER} 'bedrijfsleven' (stuurgroep, klankbordgroep) has no contact: "
        "it receives no agenda pack",
        f"{MEMBER} 'medeoverheden' (landelijk-overleg, stuurgroep, klankbordgroep) has no "
        "contact: it receives no agenda pack",
    ]


def test_validate_says_nothing_once_every_member_has_a_contact(tmp_path: Path) -> None:
    """A contacts file (REGIE_CONTACTS) with a contact of each member organisation."""
    data = yaml.safe_load(MVI_PLAN.read_text("utf-8"))
    members = sorted({org for body in data["governance"] for org in body["members"]})
    contacts = tmp_path / "contacts.yaml"
    listed = [
        {"id": f"c-{org.lower()}", "name": org, "organisation": org, "email": f"{org}@example.nl"}
        for org in members
    ]
    contacts.write_text(yaml.safe_dump({"contacts": listed}), "utf-8")
    lines, _ = validate(tmp_path, MVI_PLAN, str(contacts))
    assert member_warnings(lines) == [], lines


@pytest.mark.parametrize("name", WITH_CONTACTS)
def test_validate_warns_per_body_member_without_a_contact(tmp_path: Path, name: str) -> None:
    """Each fixture plan: the plan's own contacts (minimal.yaml: PIANOo, a stuurgroep member;
    toegankelijkheid.yaml: Logius, of the programmaraad), then a contacts file of only the
    first organisation's contact."""
    plan = FIXTURES / name
    data = yaml.safe_load(plan.read_text("utf-8"))
    lines, _ = validate(tmp_path, plan)
    assert member_warnings(lines) == expected_member_warnings(data, data["contacts"])
    first = data["organisations"][0]["id"]
    contact = {"id": "enige", "name": "Enige", "organisation": first, "email": "e@example.nl"}
    contacts = tmp_path / "contacts.yaml"
    contacts.write_text(yaml.safe_dump({"contacts": [contact]}), "utf-8")
    lines, _ = validate(tmp_path, plan, str(contacts))
    warned = member_warnings(lines)
    assert warned == expected_member_warnings(data, [contact])
    assert warned or not any(
        set(body.get("members") or []) - {first} for body in data.get("governance") or []
    )


def test_the_fixtures_include_plans_with_unreached_members() -> None:
    unreached = [
        name
        for name in WITH_CONTACTS
        if expected_member_warnings(
            data := yaml.safe_load((FIXTURES / name).read_text("utf-8")), data["contacts"]
        )
    ]
    assert {"minimal.yaml", "toegankelijkheid.yaml"} <= set(unreached)


def test_validate_warns_of_a_body_with_an_empty_members_list(tmp_path: Path) -> None:
    """walk32a 10: `members: []` validated in silence; it asks every owner in its rounds and
    sends its pack to the office only. One warning at the list, exit 0; a body without
    `members` (documented: every owner) gets none, nor does a body with members."""
    text = MVI_PLAN.read_text("utf-8")
    given = "    members: [medeoverheden, bedrijfsleven]\n"
    assert text.count(given) == 1
    line = text[: text.index(given)].count("\n") + 1
    empty = tmp_path / "leeg.yaml"
    empty.write_text(text.replace(given, "    members: []\n"), "utf-8")
    lines, _ = validate(tmp_path, empty)
    assert [w for w in lines if "'members: []'" in w] == [
        f"{empty}:{line}:14: warning: governance body 'klankbordgroep' has 'members: []': its "
        "status rounds ask every owner and its agenda pack goes to the programme office only"
    ]
    absent = tmp_path / "zonder.yaml"
    absent.write_text(text.replace(given, ""), "utf-8")
    lines, _ = validate(tmp_path, absent)
    assert not [w for w in lines if "'members: []'" in w]
    assert not [w for w in validate(tmp_path, MVI_PLAN)[0] if "'members: []'" in w]


def test_the_contacts_file_gets_the_plan_files_text_checks(tmp_path: Path) -> None:
    """walk57b 1: the REGIE_CONTACTS file, where production keeps the real names, skipped the
    checks the plan file's contacts get: a line break in a name or an address, a
    direction-changing character and a non-address passed `plan validate`, and every message
    to them then failed with Python's English error."""
    plan = FIXTURES / "minimal.yaml"
    org = yaml.safe_load(plan.read_text("utf-8"))["organisations"][0]["id"]
    contacts = tmp_path / "contacts.yaml"
    rows = [
        "contacts:",
        f'  - {{id: bureau, name: "Bureau\\r\\nBcc: spy@x.example", organisation: {org},',
        "      email: bureau@example.org, programme_office: true}",
        f'  - {{id: anna, name: "Anna \\u202eLOG", organisation: {org}, email: geen-adres}}',
    ]
    contacts.write_text("\n".join(rows) + "\n", encoding="utf-8")

    def at(line: int, value: str) -> str:
        return f"{contacts}:{line}:{rows[line - 1].index(value) + 1}"

    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": "",
           "REGIE_CONTACTS": str(contacts)}  # fmt: skip
    result = regie("plan", "validate", str(plan), env=env)
    assert result.code != 0 and "Traceback" not in result.err
    bureau, anna, address = at(2, '"Bureau'), at(4, '"Anna'), at(4, "geen-adres")
    assert result.err.strip().splitlines() == [
        f"{bureau}: 'name' must be one line, but contains a line break "
        "(a folded '>' keeps one at the end: write '>-')",
        f"{anna}: 'name' contains the invisible direction-changing character "
        "U+202E: it makes the text read differently; remove it",
        f"{address}: 'email' 'geen-adres' is not an e-mail address (name@example.org)",
    ]
