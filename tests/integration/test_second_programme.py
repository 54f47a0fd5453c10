"""Defects a second, unrelated programme found: shared REGIE_HOME, steering body, done items,
blank gereed. Fixtures: tests/fixtures/plans/minimal.yaml and toegankelijkheid.yaml, which share
the contact id ``jdevries`` on purpose."""

from __future__ import annotations

import json
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from governance.assessment import assess
from governance.planfile.load import load_plan
from governance.reminders import plan_reminders
from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from regie.messages import outbox_messages
from regie.services import sync
from tests.cli_in_process import regie
from tests.unit.asked import asked_before
from tests.unit.planbuilder import act, contact, make_plan, ms, quarter

PLANS = Path(__file__).resolve().parent.parent / "fixtures" / "plans"
MVI = PLANS / "minimal.yaml"
TOEGANKELIJK = PLANS / "toegankelijkheid.yaml"
DAY = date(2015, 10, 1)


def _app(home: Path, plan: Path) -> App:
    return bootstrap(load_settings({"REGIE_HOME": str(home), "REGIE_PLAN": str(plan)}))


def _mail(path: Path) -> EmailMessage:
    mail = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(mail, EmailMessage)
    return mail


def _text(mail: EmailMessage) -> str:
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def test_two_programmes_in_one_home_each_get_their_own_digest(tmp_path: Path) -> None:
    home = tmp_path / "home"
    sent: dict[str, list[str]] = {}
    for plan in (MVI, TOEGANKELIJK):
        app = _app(home, plan)
        if plan == TOEGANKELIJK:  # the second programme in the home's database, on purpose
            sync(app, None, add_programme=True)
        check = deadline_check(app, DAY)
        digests = [k for k in check.queued if k.startswith("reminder:")]
        assert any(":jdevries:" in k for k in digests), check.queued
        report = send_reminders(app)
        assert report.failed == []
        sent[app.programme_id()] = report.sent
    mvi, toegankelijk = sent["mvi-test"], sent["toegankelijk"]
    assert mvi and toegankelijk and not set(mvi) & set(toegankelijk)
    assert all("mvi-test" in k for k in mvi) and all("toegankelijk" in k for k in toegankelijk)

    files = sorted((home / "outbox").glob("*.eml"))
    assert len(files) == len(mvi) + len(toegankelijk)  # nobody's file was taken for another's
    by_key = {_mail(f)["X-Regie-Key"]: _mail(f) for f in files}
    assert set(by_key) == set(mvi) | set(toegankelijk)
    for key, mail in by_key.items():
        # The plan's name without its leading "Programma": the text already says "programma".
        title = "Plan van aanpak MVI (test)" if key in mvi else "„Digitale Toegankelijkheid”"
        assert title in _text(mail), key
        assert "programma programma" not in _text(mail).lower(), key
    assert len({mail["Message-ID"] for mail in by_key.values()}) == len(by_key)


def _escalation_text(plan_path: Path | None = None) -> str:
    """The escalation digest's body for a plan whose first milestone is long overdue."""
    if plan_path is not None:
        plan = load_plan(plan_path)
    else:
        plan = make_plan(
            act("1.1", ms("1.1.1", quarter(2015, 3))),
            contacts=(contact("po", "IenM", office=True),),
        )
    day = date(2015, 11, 2)  # 22 working days after the due date of Q3-2015
    assessment = assess(plan, [], day)
    # Its owner asked a week before (an item escalates only after the owner's grace).
    reminders = plan_reminders(plan, assessment, asked_before(plan, [], day), day)
    [escalation] = [
        m for m in outbox_messages(plan, assessment, reminders) if m.kind == "escalation_digest"
    ]
    return escalation.body_text


def test_the_escalation_names_the_plans_own_steering_body() -> None:
    text = _escalation_text(TOEGANKELIJK)
    assert "Programmaraad Digitale Toegankelijkheid" in text
    assert "Kennisnetwerk" not in text  # a body, but not the one that steers
    assert "stuurgroep" not in text.lower()
    assert "Stuurgroep MVI" in _escalation_text(MVI)


def test_without_a_steering_body_the_escalation_uses_a_neutral_word() -> None:
    text = _escalation_text()
    assert "stuurgroep" not in text.lower()
    assert "het overleg dat het programma aanstuurt" in text


def test_status_json_keeps_due_and_completion_of_a_done_item(regie_home: Path) -> None:
    env = {"REGIE_PLAN": str(MVI)}
    done = regie(
        "update", "1.1.1", "--status", "done", "--completed-on", "2015-09-28",
        "--as-of", "2015-10-01", env=env,
    )  # fmt: skip
    assert done.code == 0, done.err
    status = regie("status", "--as-of", "2015-10-02", "--format", "json", env=env)
    assert status.code == 0, status.err
    rows = {r["id"]: r for r in json.loads(status.out)}
    assert rows["1.1.1"]["state"] == "done"
    assert (rows["1.1.1"]["due"], rows["1.1.1"]["completed_on"]) == ("2015-09-30", "2015-09-28")
    assert rows["1.1.2"]["completed_on"] is None  # not done: no completion date


def test_plan_show_gives_a_blank_gereed_as_empty_text_to_be_decided(tmp_path: Path) -> None:
    source = TOEGANKELIJK.read_text(encoding="utf-8")
    blank = tmp_path / "blank.yaml"
    blank.write_text(source.replace("gereed: 2016", 'gereed: ""'), encoding="utf-8")
    shown = regie("plan", "show", str(blank), "--format", "json")
    assert shown.code == 0, shown.err
    [step] = json.loads(shown.out)["steps"]
    milestone = step["actions"][0]["milestones"][1]
    assert (milestone["id"], milestone["gereed"]) == ("1.1.2", "")
    assert milestone["period"]["kind"] == "tbd"
    table = regie("plan", "show", str(blank))
    assert table.code == 0, table.err
    line = next(x for x in table.out.splitlines() if "1.1.2" in x)
    assert "nog te bepalen" in line  # the kind in Dutch, as the headings are
