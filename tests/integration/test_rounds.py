"""Status rounds: one request per contact, one chase on the last working day and only to the
silent, a summary on the date; replayed over three weeks, every day run twice."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from governance.answers import Answerer, AnswerInput
from regie.answers import record_answer
from regie.bootstrap import App
from regie.cycle import send_reminders
from regie.errors import InvalidInput
from regie.rounds import round_status, run_round_day
from store import Repository
from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import link_app

ROUND_RULE_ONLY = pytest.mark.one_database(
    "the round's rules and words, from SQL this file's other PostgreSQL tests run"
)

START = date(2025, 6, 2)  # a Monday
ANSWER_BY = date(2025, 6, 20)  # a Friday, three weeks of working days later


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return link_app(migrated_url, tmp_path)


def keys(app: App) -> list[str]:
    with app.session() as session:
        return [m.key for m in Repository(session, "wegen-test").outbox()]


@ROUND_RULE_ONLY
def test_a_round_replayed_over_three_weeks(app: App) -> None:
    result = run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    assert result["started"]["queued"] == 3  # anna, bram, carla; the office owns nothing
    day = START
    while day <= ANSWER_BY + timedelta(days=3):
        if day == date(2025, 6, 5):
            for item in ("1.2", "2.1"):
                record_answer(
                    app,
                    AnswerInput(item, "on_track"),
                    Answerer("carla", "C"),
                    channel="web",
                    as_of=day,
                )
        if day == date(2025, 6, 10):
            record_answer(
                app,
                AnswerInput("1.1.1", "done", completed_on=day),
                Answerer("anna", "A"),
                channel="email",
                as_of=day,
            )
        for _ in range(2):  # a day run twice queues nothing new
            run_round_day(app, day)
            send_reminders(app)
        day += timedelta(days=1)
    sent = keys(app)
    assert sorted(k for k in sent if k.endswith(":request")) == [
        "round:1:anna:request",
        "round:1:bram:request",
        "round:1:carla:request",
    ]
    # Chased once, on the last working day before 20 June, only anna (1.1.2 has no answer).
    assert sorted(k for k in sent if ":chase:" in k) == ["round:1:anna:chase:2025-06-19"]
    assert [k for k in sent if k.endswith(":summary")] == ["round:1:office:summary"]
    with app.session() as session:
        messages = {m.key: m for m in Repository(session, "wegen-test").outbox()}
    chase = messages["round:1:anna:chase:2025-06-19"].body_text
    assert "1.1.2 Prioriteiten" in chase and "1.1.1" not in chase and "/antwoord/" in chase
    summary = messages["round:1:office:summary"].body_text
    assert "3 van de 4 punten zijn beantwoord" in summary
    # 2.1 (PROV and GEM) was answered by Carla of PROV: PROV's response; GEM is not counted
    # for it (not asked about it any more, not chased).
    assert (
        "- Gemeente Rivierstad: 1 van 2 (50%)" in summary
        and "- Provincie Noordwaarts: 2 van 2 (100%)" in summary
    )
    assert "- 1.1.2 Prioriteiten" in summary
    assert all(m.status == "sent" for m in messages.values())
    # Each subject names the programme first, as the digests' do (a contact may be in several).
    prefix = f"[{app.load_plan().programme.short_title or app.load_plan().programme.title}] "
    assert all(m.subject.startswith(prefix) for m in messages.values())
    assert messages["round:1:office:summary"].subject.startswith(f"{prefix}Statusronde ")
    (status,) = round_status(app)
    assert status["closed_on"] == "2025-06-20"
    assert status["without_answer"] == [
        {
            "id": "1.1.2",
            "title": "Prioriteiten",
            "owners": ["GEM"],
            "owner_names": ["Gemeente Rivierstad"],
            "gereed": "Q3-2025",
            "due": "2025-09-30",
        }
    ]


@ROUND_RULE_ONLY
def test_bad_round_input_is_one_line(app: App) -> None:
    with pytest.raises(InvalidInput, match="unknown governance body 'raad'"):
        run_round_day(app, START, body="raad", answer_by=ANSWER_BY)
    with pytest.raises(InvalidInput, match="is not after"):
        run_round_day(app, START, body="stuurgroep", answer_by=START)
    with pytest.raises(InvalidInput, match="step:N"):
        run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY, scope="step:9")
    assert keys(app) == []


@ROUND_RULE_ONLY
def test_an_answer_by_day_out_of_bounds_is_refused(app: App) -> None:
    """A round whose answer-by day lies further ahead than a new date may (the plan's
    ``reminders.new_date_max_years``, 2) would never close: refused like a day before the
    start, one line naming --answer-by, nothing recorded or queued."""
    last = date(2027, 6, 2)  # START two years on: still accepted
    for day in (date(9999, 12, 31), last + timedelta(days=1)):
        with pytest.raises(InvalidInput) as refused:
            run_round_day(app, START, body="stuurgroep", answer_by=day)
        assert refused.value.lines == [
            f"--answer-by: {day} is more than 2 years after 2025-06-02 (the latest is "
            "2027-06-02; reminders.new_date_max_years)"
        ]
    with pytest.raises(InvalidInput, match=r"^--answer-by: 2025-05-30 is not after 2025-06-02"):
        run_round_day(app, START, body="stuurgroep", answer_by=date(2025, 5, 30))
    assert round_status(app) == [] and keys(app) == []
    started = run_round_day(app, START, body="stuurgroep", answer_by=last)
    assert started["started"]["started"]


def test_round_cli_refuses_an_answer_by_day_that_never_comes(regie_home: Path) -> None:
    env = {"REGIE_PLAN": str(ANSWERS_PLAN)}
    args = ["round", "start", "--body", "stuurgroep", "--as-of", "2025-06-02"]
    for answer_by, why in (
        ("9999-12-31", "is more than 2 years after"),
        ("2025-05-01", "is not after"),
    ):
        result = regie(*args, "--answer-by", answer_by, env=env)
        assert result.code == 2 and result.err.startswith(f"--answer-by: {answer_by} {why}")
        assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    result = regie("round", "status", "--format", "json", env=env)
    assert result.code == 0 and json.loads(result.out) == []


def test_a_round_with_nothing_to_ask_is_not_started(app: App) -> None:
    """Step 2 has one item, 2.1; once it is done a round over step 2 would ask nobody and end in
    a summary of "0 van de 0 punten": refused, nothing recorded or queued. The same body and
    date stay free for a round that asks someone."""
    record_answer(
        app, AnswerInput("2.1", "done", completed_on=START), Answerer("office", "P"),
        channel="web", as_of=START, sync=True,
    )  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY, scope="step:2")
    assert refused.value.lines == [
        "--scope step:2: nothing to ask on 2025-06-02: every item in scope is done, cancelled "
        "or waiting on another item; no round started"
    ]
    assert round_status(app) == [] and keys(app) == []
    started = run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY, scope="step:1")
    assert started["started"]["started"] and started["started"]["queued"] == 3
    again = run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY, scope="step:2")
    assert again["started"]["started"] is False  # the round of that date runs: not an error


@ROUND_RULE_ONLY
def test_an_empty_round_recorded_earlier_closes_without_a_summary(app: App) -> None:
    """A round that asked nobody (possible before such rounds were refused) closes on its date
    without telling the office "0 van de 0 punten zijn beantwoord"."""
    from datetime import UTC, datetime

    from store import sync_plan
    from store.answers import start_round

    plan = app.load_plan()
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=datetime.now(UTC), plan_path=str(plan.path))
        start_round(
            session, "wegen-test", "stuurgroep", ANSWER_BY, "step:2", START, datetime.now(UTC), []
        )
    (closed,) = run_round_day(app, ANSWER_BY)["rounds"]
    assert closed["closed"] and closed["queued"] == 0
    assert keys(app) == []


def test_round_cli_start_scope_and_status(regie_home: Path) -> None:
    env = {"REGIE_PLAN": str(ANSWERS_PLAN)}
    args = ["round", "start", "--body", "stuurgroep", "--answer-by", "2025-06-20"]
    result = regie(*args, "--scope", "step:2", "--as-of", "2025-06-02", env=env)
    assert result.code == 0, result.err
    assert "round 1 (stuurgroep, answers by 2025-06-20) started: 3 requests queued" in result.out
    result = regie("round", "status", "--format", "json", env=env)
    (status,) = json.loads(result.out)
    assert status["items"] == 1 and status["scope"] == "step:2"
    assert [o["id"] for o in status["organisations"]] == ["GEM", "PROV"]
    result = regie("round", "start", "--body", "x", "--answer-by", "2025-06-20", env=env)
    assert result.code == 2 and result.err.startswith("--body: unknown governance body 'x'")


@ROUND_RULE_ONLY
def test_round_messages_have_an_html_part_with_the_signed_links(app: App) -> None:
    """Request, chase and summary carry text and HTML (like the digests); every signed link of
    the text part is a link in the HTML part, and nothing from the plan is left unescaped."""
    import re

    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    run_round_day(app, date(2025, 6, 19))  # the last working day before: chases
    run_round_day(app, ANSWER_BY)  # closes the round: the office's summary
    with app.session() as session:
        messages = {m.key: m for m in Repository(session, "wegen-test").outbox()}
    request = messages["round:1:anna:request"]
    chase = next(m for k, m in messages.items() if k.startswith("round:1:anna:chase:"))
    summary = messages["round:1:office:summary"]
    for message in (request, chase):
        assert message.body_html is not None
        assert message.body_html.startswith("<!DOCTYPE html>")
        assert '<html lang="nl">' in message.body_html
        links = re.findall(r"https?://\S+/antwoord/\S+", message.body_text)
        assert links, message.body_text
        for url in links:
            assert f'<a href="{url}">Update geven over ' in message.body_html
        assert "1.1.2" in message.body_html and "Prioriteiten" in message.body_html
    # The title as the text part and the other mails give it (review54c 8).
    assert "het programma\n&bdquo;Veilige Fietsroutes&rdquo;" in request.body_html
    assert "het programma &bdquo;Programma" not in request.body_html.replace("\n", " ")
    assert summary.body_html is not None and "<table" in summary.body_html
    assert "van de 4 punten zijn beantwoord" in summary.body_html
    assert "Nog zonder antwoord" in summary.body_html
    assert "<script" not in "".join(m.body_html or "" for m in messages.values())


@ROUND_RULE_ONLY
def test_the_daily_step_reads_the_meeting_days_only_when_a_round_sends(app: App) -> None:
    """The daily round step expands and reads the meeting days (for the messages' meeting
    line) only on a day some round chases or closes: not with no round open, nor on a quiet
    day of an open round."""
    from sqlalchemy import event

    reads: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "FROM meetings" in statement:
            reads.append(statement)

    event.listen(app.engine, "before_cursor_execute", seen)
    try:
        assert run_round_day(app, START)["rounds"] == []
        assert reads == []
        run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
        reads.clear()
        (quiet,) = run_round_day(app, START + timedelta(days=1))["rounds"]
        assert not quiet["queued"] and not quiet["closed"] and reads == []
        (chased,) = run_round_day(app, date(2025, 6, 19))["rounds"]  # the last working day
        assert chased["queued"] and reads  # the chase names the meeting
    finally:
        event.remove(app.engine, "before_cursor_execute", seen)


@ROUND_RULE_ONLY
def test_an_answer_by_day_off_is_refused_naming_the_day(app: App) -> None:
    """Owners would read "vóór 9 juni" for a day the office does not work: refused, one line
    naming --answer-by, the kind of day and the working day before it; nothing recorded."""
    for day, why in (
        (date(2025, 6, 14), "is a Saturday, not a working day (the working day before it is "
         "2025-06-13)"),
        (date(2025, 6, 9), "is a public holiday (Tweede pinksterdag), not a working day (the "
         "working day before it is 2025-06-06)"),  # named as `meeting add` names it (walk54 6)
    ):  # fmt: skip
        with pytest.raises(InvalidInput) as refused:
            run_round_day(app, START, body="stuurgroep", answer_by=day)
        assert refused.value.lines == [f"--answer-by: {day} {why}"]
    assert round_status(app) == [] and keys(app) == []


def test_a_second_open_round_of_a_body_is_pointed_out(regie_home: Path) -> None:
    env = {"REGIE_PLAN": str(ANSWERS_PLAN)}
    args = ["round", "start", "--body", "stuurgroep", "--as-of", "2025-06-02"]
    first = regie(*args, "--answer-by", "2025-06-20", "--scope", "step:1", env=env)
    assert first.code == 0, first.err
    assert "note:" not in first.out
    second = regie(*args, "--answer-by", "2025-06-19", "--scope", "step:2", env=env)
    assert second.code == 0, second.err
    assert (
        "note: stuurgroep still has an open round (round 1, answers by 2025-06-20): its "
        "contacts are asked twice"
    ) in second.out


def test_round_start_warns_when_no_meeting_follows_or_the_programme_has_ended(
    regie_home: Path, tmp_path: Path
) -> None:
    """walk30 4: a round whose answer-by date no meeting of the body follows, or after the
    programme's end, starts (exit 0) with one warning line each on stderr; its messages do not
    promise "de komende vergadering" but say "voortgangsbespreking"."""
    text = ANSWERS_PLAN.read_text(encoding="utf-8").replace("end: 2027-12-31", "end: 2025-06-30")
    text = text.replace(
        "    members: [GEM, PROV]\n",
        "    members: [GEM, PROV]\n    meetings:\n"
        "      rule: {every: maand, weekday: donderdag, nth: 2, start: 2025-01-01}\n",
    )
    plan = tmp_path / "vergaderingen.yaml"
    plan.write_text(text, encoding="utf-8")
    env = {"REGIE_PLAN": str(plan)}
    args = ["round", "start", "--body", "stuurgroep", "--as-of", "2025-06-02"]
    before = regie(*args, "--answer-by", "2025-06-06", "--scope", "step:1", env=env)
    assert before.code == 0 and "warning" not in before.err, before.err  # 12 June follows
    last = regie(*args, "--answer-by", "2025-07-11", "--scope", "step:2", env=env)
    assert last.code == 0, last.err
    assert last.err.splitlines() == [
        "warning: no stuurgroep meeting on or after 2025-07-11 (its last is 2025-06-12): the "
        "round's messages name no meeting",
        "warning: --answer-by 2025-07-11 is after the programme's end (2025-06-30)",
    ], last.err
    outbox = {p.name: p.read_text(encoding="utf-8") for p in (regie_home / "outbox").glob("*")}
    first = [t for n, t in outbox.items() if "_1_" in n and "request" in n]
    second = [t for n, t in outbox.items() if "_2_" in n and "request" in n]
    assert first and second, sorted(outbox)
    assert all("Voor de vergadering van 12 juni 2025 (Stuurgroep" in t for t in first)
    for t in second:
        assert "komende vergadering" not in t and "vergadering van" not in t, t
        assert "Voor de voortgangsbespreking (Stuurgroep Fietsroutes)" in t, t


def test_round_start_says_nothing_for_a_body_whose_meetings_regie_does_not_know(
    regie_home: Path, tmp_path: Path
) -> None:
    """review8 6: no meetings in the plan or the database is a normal set-up (the messages say
    "de komende vergadering"): no warning on every round; one note line that says so, so that
    a body left without meetings by mistake is seen (walk32a 10)."""
    plan = tmp_path / "zonder-vergaderingen.yaml"
    plan.write_text(ANSWERS_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    started = regie(
        "round", "start", "--body", "stuurgroep", "--as-of", "2025-06-02",
        "--answer-by", "2025-06-13", env={"REGIE_PLAN": str(plan)},
    )  # fmt: skip
    assert started.code == 0 and "warning" not in started.err, started.err
    assert [line for line in started.err.splitlines() if not line.startswith("regie:")] == [
        "note: stuurgroep has no meetings scheduled (none in the plan, none added with `regie "
        'meeting add`): the round\'s messages say "de komende vergadering"'
    ]
    assert "started" in started.out + started.err


def _monthly_plan(tmp_path: Path) -> Path:
    """The second programme with stuurgroep meetings on 12 June, 10 July and 14 August 2025."""
    text = ANSWERS_PLAN.read_text(encoding="utf-8").replace(
        "    members: [GEM, PROV]\n",
        "    members: [GEM, PROV]\n    meetings:\n"
        "      dates: [2025-06-12, 2025-07-10, 2025-08-14]\n",
    )
    plan = tmp_path / "maandelijks.yaml"
    plan.write_text(text, encoding="utf-8")
    return plan


def test_round_status_names_the_meeting_each_round_prepares(
    regie_home: Path, tmp_path: Path
) -> None:
    """Task round33 1: `regie round status` names the meeting a round prepares (as its messages
    do), beside its answer-by date and whether it closed; JSON has it as `meeting_on`."""
    env = {"REGIE_PLAN": str(_monthly_plan(tmp_path))}
    args = ["round", "start", "--body", "stuurgroep"]
    first = regie(*args, "--answer-by", "2025-06-06", "--scope", "step:1", "--as-of", "2025-06-02",
                  env=env)  # fmt: skip
    assert first.code == 0, first.err
    assert regie("round", "tick", "--as-of", "2025-06-06", env=env).code == 0  # closes round 1
    second = regie(*args, "--answer-by", "2025-06-20", "--scope", "step:2",
                   "--as-of", "2025-06-09", env=env)  # fmt: skip
    assert second.code == 0, second.err
    shown = regie("round", "status", env=env)
    assert shown.code == 0, shown.err
    lines = [line for line in shown.out.splitlines() if line.startswith("round ")]
    assert lines == [
        "round 1 stuurgroep, meeting 2025-06-12, answers by 2025-06-06 (closed 2025-06-06): "
        "0/3 items answered",
        "round 2 stuurgroep, meeting 2025-07-10, answers by 2025-06-20 (open): 0/1 item answered",
    ], shown.out
    listed = json.loads(regie("round", "status", "--format", "json", env=env).out)
    assert [(r["meeting_on"], r["answer_by"], r["closed_on"]) for r in listed] == [
        ("2025-06-12", "2025-06-06", "2025-06-06"),
        ("2025-07-10", "2025-06-20", None),
    ]


def test_round_status_says_when_no_meeting_is_known(regie_home: Path) -> None:
    env = {"REGIE_PLAN": str(ANSWERS_PLAN)}  # no meetings in the plan or the database
    args = ["round", "start", "--body", "stuurgroep", "--answer-by", "2025-06-20"]
    assert regie(*args, "--as-of", "2025-06-02", env=env).code == 0
    shown = regie("round", "status", env=env).out
    assert "round 1 stuurgroep, meeting none known, answers by 2025-06-20 (open)" in shown
    (status,) = json.loads(regie("round", "status", "--format", "json", env=env).out)
    assert status["meeting_on"] is None


def test_round_start_with_meeting_prepares_that_meeting(regie_home: Path, tmp_path: Path) -> None:
    """Task round33 2: `--meeting` says which of the body's meetings the round prepares (here
    not the first after the answer-by date): its status and its messages name it."""
    env = {"REGIE_PLAN": str(_monthly_plan(tmp_path))}
    started = regie(
        "round", "start", "--body", "stuurgroep", "--answer-by", "2025-06-06",
        "--meeting", "2025-07-10", "--as-of", "2025-06-02", env=env,
    )  # fmt: skip
    assert started.code == 0, started.err
    assert "warning" not in started.err, started.err
    (status,) = json.loads(regie("round", "status", "--format", "json", env=env).out)
    assert (status["meeting_on"], status["answer_by"]) == ("2025-07-10", "2025-06-06")
    outbox = [p.read_text(encoding="utf-8") for p in (regie_home / "outbox").glob("*request*")]
    assert outbox and all("Voor de vergadering van 10 juli 2025" in t for t in outbox)
    # Without --meeting: derived as before (the first meeting on or after the answer-by date).
    derived = regie(
        "round", "start", "--body", "stuurgroep", "--answer-by", "2025-06-13",
        "--as-of", "2025-06-02", env=env,
    )  # fmt: skip
    assert derived.code == 0, derived.err
    listed = json.loads(regie("round", "status", "--format", "json", env=env).out)
    assert [r["meeting_on"] for r in listed] == ["2025-07-10", "2025-07-10"]


@pytest.mark.parametrize(
    ("answer_by", "meeting", "said"),
    [
        (
            "2025-06-20", "2025-07-11",
            "--meeting: 2025-07-11 is not a known stuurgroep meeting on or after --answer-by "
            "2025-06-20 (nearest: 2025-07-10, 2025-08-14)",
        ),
        (
            "2025-06-06", "2025-06-11",
            "--meeting: 2025-06-11 is not a known stuurgroep meeting on or after --answer-by "
            "2025-06-06 (nearest: 2025-06-12)",
        ),
        (
            "2025-06-20", "2025-06-12",
            "--meeting: 2025-06-12 is before --answer-by 2025-06-20 (the first stuurgroep "
            "meeting on or after it is 2025-07-10)",
        ),
        ("2025-06-20", "10-07-2025", "--meeting: "),
    ],
)  # fmt: skip
def test_round_start_refuses_a_meeting_that_is_not_one_of_the_body_s(
    regie_home: Path, tmp_path: Path, answer_by: str, meeting: str, said: str
) -> None:
    env = {"REGIE_PLAN": str(_monthly_plan(tmp_path))}
    refused = regie(
        "round", "start", "--body", "stuurgroep", "--answer-by", answer_by,
        "--meeting", meeting, "--as-of", "2025-06-02", env=env,
    )  # fmt: skip
    assert refused.code == 2, refused.err
    assert len(refused.err.splitlines()) == 1 and refused.err.startswith(said), refused.err
    assert "Traceback" not in refused.err
    assert json.loads(regie("round", "status", "--format", "json", env=env).out) == []
    assert not list((regie_home / "outbox").glob("*"))


def test_round_start_refuses_a_meeting_for_a_body_without_known_meetings(
    regie_home: Path,
) -> None:
    env = {"REGIE_PLAN": str(ANSWERS_PLAN)}
    refused = regie(
        "round", "start", "--body", "stuurgroep", "--answer-by", "2025-06-20",
        "--meeting", "2025-06-26", "--as-of", "2025-06-02", env=env,
    )  # fmt: skip
    assert refused.code == 2
    assert refused.err.strip() == (
        "--meeting: 2025-06-26 is not a known stuurgroep meeting, and none is on or after "
        "--answer-by 2025-06-20 (none is known; add one with `regie meeting add`)"
    )
    assert json.loads(regie("round", "status", "--format", "json", env=env).out) == []


def test_a_round_for_a_chosen_meeting_records_it_and_a_wrong_one_records_nothing(
    app: App,
) -> None:
    """Task round33 2, on both databases: the meeting given is the round's (not the first after
    its answer-by date); one that is not the body's is refused before anything is written."""
    from regie.reports import add_meeting
    from store.answers import rounds

    for on in (date(2025, 6, 26), date(2025, 7, 3)):
        add_meeting(app, "stuurgroep", on, None, None, None)
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY, meeting_on=date(2025, 7, 3))
    with pytest.raises(InvalidInput, match=r"^--meeting: 2025-07-02 is not a known stuurgroep"):
        run_round_day(
            app, START, body="stuurgroep", answer_by=date(2025, 6, 19), meeting_on=date(2025, 7, 2)
        )
    with app.session() as session:
        assert [(r.answer_by, r.meeting_on) for r in rounds(session, "wegen-test")] == [
            (ANSWER_BY, date(2025, 7, 3))
        ]
    (status,) = round_status(app)
    assert status["meeting_on"] == "2025-07-03"


def _day(app: App, day: date, *, round_first: bool, **start: object) -> None:
    """One day of the in-process cycle: the check, the round step, then the sender (or the
    round step first, as a status-round deployment may run before the daily cycle)."""
    from regie.cycle import deadline_check

    if round_first:
        run_round_day(app, day, **start)  # type: ignore[arg-type]
    deadline_check(app, day)
    if not round_first:
        run_round_day(app, day, **start)  # type: ignore[arg-type]
    send_reminders(app)


def _entries(app: App, key: str) -> list[tuple[str, str]]:
    import sqlalchemy as sa

    from store.models import OutboxRow
    from store.models_delivery import OutboxDigestItemRow as t

    with app.session() as session:
        return [
            (r.item_code, r.stage)
            for r in session.execute(
                sa.select(t.item_code, t.stage)
                .join(OutboxRow, OutboxRow.id == t.message_id)
                .where(OutboxRow.key == key)
            )
        ]


@pytest.mark.parametrize("round_first", [False, pytest.param(True, marks=ROUND_RULE_ONLY)])
def test_an_owner_is_asked_about_an_item_once_a_day(app: App, round_first: bool) -> None:
    """walk30 7: on the round's request day anna's reminder digest would ask about 1.1.1 again,
    with a link of its own. The round's request is the day's one request: the digest is not
    sent (recorded why), the request is. A day without a round message keeps its digest, and
    the escalation comes on the day it came without the round (the prompt stays on record, so
    the owner counts as asked about the date): 10 working days after the due date (30 June),
    not on it (walk32b 2)."""
    from notifications.base import scoped_key
    from notifications.file_outbox import file_name

    def delivered(key: str) -> bool:
        return (app.settings.outbox_dir / file_name(scoped_key(key, "wegen-test"))).exists()

    request_day = date(2025, 6, 10)  # anna's first prompt for 1.1.1 (link_setup.FIRST_DAY)
    _day(app, request_day, round_first=round_first, body="stuurgroep", answer_by=ANSWER_BY)
    day = request_day + timedelta(days=1)
    while day <= date(2025, 7, 14):
        _day(app, day, round_first=round_first)
        day += timedelta(days=1)
    with app.session() as session:
        messages = {m.key: m for m in Repository(session, "wegen-test").outbox()}
    digest = messages["reminder:wegen-test:anna:2025-06-10:digest"]
    assert digest.status == "suppressed" and not delivered(digest.key)
    assert (digest.last_error or "").startswith("niet verzonden: het verzoek van de statusronde")
    assert "(1.1.1)" in (digest.last_error or "")
    # Its prompt is not "undelivered" (store.prompt_delivery): the digest carries it no more.
    assert digest.payload["items"] == [] and _entries(app, digest.key) == []
    request = messages["round:1:anna:request"]
    assert request.status == "sent" and delivered(request.key)
    assert "1.1.1" in request.body_text
    # Of the day's messages to anna, one asks about 1.1.1.
    asking = [
        m.key
        for m in messages.values()
        if m.recipient == "anna" and m.created_on == request_day and m.status == "sent"
    ]
    assert asking == ["round:1:anna:request"]
    # 23 June: no round message to anna; her digest goes out as before.
    later = messages["reminder:wegen-test:anna:2025-06-23:digest"]
    assert later.status == "sent" and delivered(later.key)
    assert later.subject.endswith("Verzoek om update: 1 punt")
    # The one escalation of the silent 1.1.1: 10 working days overdue, as without the round;
    # none on its due date, when it was not late yet.
    escalated = {k.split(":")[3] for k in messages if k.startswith("escalation:")}
    assert escalated == {"2025-07-14"}
    assert messages["escalation:wegen-test:office:2025-07-14"].status == "sent"


@pytest.mark.parametrize("status", [pytest.param("dead", marks=ROUND_RULE_ONLY), "failed"])
def test_a_round_message_never_delivered_leaves_the_digest_its_items(app: App, status: str) -> None:
    """review10a 5: anna's round request of the day was given up (dead) or waits on a failure
    when her digest is rechecked. It asks nobody, so the digest goes out with 1.1.1 and keeps
    its prompt (store.prompt_delivery), rather than being suppressed "in the round"."""
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from regie.cycle import deadline_check
    from store.models import OutboxRow

    day = date(2025, 6, 10)
    run_round_day(app, day, body="stuurgroep", answer_by=ANSWER_BY)
    later = datetime(2099, 1, 1, tzinfo=UTC)  # a failed one not due again during this test
    with app.session() as session, session.begin():
        session.execute(
            sa.update(OutboxRow)
            .where(OutboxRow.key == "round:1:anna:request")
            .values(status=status, last_error="550 refused", next_attempt_at=later)
        )
    deadline_check(app, day)
    sent = send_reminders(app)
    key = "reminder:wegen-test:anna:2025-06-10:digest"
    assert key in sent.sent and "round:1:anna:request" not in sent.sent
    with app.session() as session:
        digest = Repository(session, "wegen-test").outbox_message(key)
    assert digest is not None and digest.status == "sent"
    assert "1.1.1" in [i["id"] for i in digest.payload["items"]]
    assert "1.1.1" in {item for item, _ in _entries(app, key)}


def test_a_digest_keeps_the_items_the_round_does_not_ask(migrated_url: str, tmp_path: Path) -> None:
    """walk30 7, in part: anna's digest of the request day asks about 1.1.1 (the round's, step
    1) and 2.2 (not in the round's scope). It goes out with 2.2 only, its subject counting one
    item and its one link for 2.2; the round's request asks about 1.1.1."""
    from regie.cycle import deadline_check
    from tests.integration.link_setup import LINK, delivered_text

    text = ANSWERS_PLAN.read_text(encoding="utf-8")
    extra = """      - id: "2.2"
        title: Schouwen
        owners: [GEM]
        gereed: Q2-2025
"""
    plan = tmp_path / "plan.yaml"
    plan.write_text(text + extra, encoding="utf-8")
    app = link_app(migrated_url, tmp_path / "home", plan)
    day = date(2025, 6, 10)
    deadline_check(app, day)
    run_round_day(app, day, body="stuurgroep", answer_by=ANSWER_BY, scope="step:1")
    key = "reminder:wegen-test:anna:2025-06-10:digest"
    with app.session() as session:
        queued = Repository(session, "wegen-test").outbox_message(key)
    assert queued is not None
    sent = send_reminders(app)
    assert key in sent.sent and "round:1:anna:request" in sent.sent
    with app.session() as session:
        digest = Repository(session, "wegen-test").outbox_message(key)
    assert digest is not None
    assert digest.subject.endswith("Verzoek om update: 1 punt")
    assert [i["id"] for i in digest.payload["items"]] == ["2.2"]
    assert {item for item, _ in _entries(app, key)} == {"2.2"}
    mail = delivered_text(app, key)
    assert "2.2 Schouwen" in mail and "1.1.1" not in mail
    assert len(LINK.findall(mail)) == 1
    assert "1.1.1" in delivered_text(app, "round:1:anna:request")
    # 1.1.1, left out for the round's request, is still open: the digest's closing line counts
    # it among her other open items (walk56e 2), in the mail and in what Slack would read.
    others = queued.payload.get("others_open", 0) + 1
    assert f"Verder staan er nog {others} punten van u open." in " ".join(mail.split())
    assert (digest.payload["others_open"], digest.payload["others_late"]) == (others, 0)
    assert digest.payload["render"]["others_open"] == others


def test_a_round_message_failing_in_the_same_batch_leaves_the_digest_its_items(app: App) -> None:
    """order35: anna's digest (queued first by the check) and the round's request to her go out
    in one batch, and the request is refused. The round's messages are settled first, so the
    digest, checked after, still asks about 1.1.1: she is asked once, not by nobody."""
    from notifications import NotifierError
    from notifications.base import Delivery, Message
    from regie.cycle import deadline_check

    class RefusesRounds:
        def __init__(self) -> None:
            self.inner = app.notifier()
            self.channel = self.inner.channel

        def send(self, message: Message) -> Delivery:
            if message.kind in ("round_request", "round_chase"):
                raise NotifierError("550 mailbox unavailable")
            return self.inner.send(message)

    day = date(2025, 6, 10)
    deadline_check(app, day)
    run_round_day(app, day, body="stuurgroep", answer_by=ANSWER_BY)
    refusing = RefusesRounds()
    app.notifier = lambda plan=None: refusing  # type: ignore[method-assign]
    sent = send_reminders(app)
    key = "reminder:wegen-test:anna:2025-06-10:digest"
    assert key in sent.sent
    assert "round:1:anna:request" in {k for k, _ in sent.failed}
    with app.session() as session:
        digest = Repository(session, "wegen-test").outbox_message(key)
    assert digest is not None and digest.status == "sent"
    assert "1.1.1" in [i["id"] for i in digest.payload["items"]]


@ROUND_RULE_ONLY
def test_a_round_started_after_the_day_s_digest_went_says_who_is_asked_twice(app: App) -> None:
    """order35: a round started by hand after the morning's digests went out. Its request still
    goes (the round's formal one; the digest cannot be recalled), and the start says whose
    digest already asked about the same items; a start on another day says nothing."""
    from regie.cycle import deadline_check

    day = date(2025, 6, 10)
    deadline_check(app, day)
    assert "reminder:wegen-test:anna:2025-06-10:digest" in send_reminders(app).sent
    started = run_round_day(app, day, body="stuurgroep", answer_by=ANSWER_BY)["started"]
    assert started["reminded_today"] == ["anna"]
    assert "round:1:anna:request" in send_reminders(app).sent
    other = run_round_day(
        app, day + timedelta(days=1), body="stuurgroep", answer_by=date(2025, 6, 19)
    )
    assert other["started"]["queued"] and other["started"]["reminded_today"] == []


def test_round_cli_start_after_the_cycle_says_who_is_asked_twice(regie_home: Path) -> None:
    env = {"REGIE_PLAN": str(ANSWERS_PLAN)}
    cycle = regie("cycle", "--as-of", "2025-06-10", env=env)
    assert cycle.code == 0, cycle.err
    args = ["round", "start", "--body", "stuurgroep", "--answer-by", "2025-06-20"]
    started = regie(*args, "--as-of", "2025-06-10", env=env)
    assert started.code == 0, started.err
    assert (
        "note: today's reminder digest already asked anna about some of these items: they are "
        "asked twice today"
    ) in started.out


def test_a_day_to_come_is_refused_for_a_round_and_a_meeting_preparation(app: App) -> None:
    """review12 4: the status-round and prepare-meeting flows (and `round start/tick`) refuse a
    day that has not come, as `regie cycle` does: its requests and packs would go out early."""
    from regie.prepare import prepare_meetings
    from regie.reports import archived
    from regie.services import today

    coming = today(app) + timedelta(days=3)
    with pytest.raises(InvalidInput, match=f"--as-of {coming} is after today"):
        run_round_day(app, coming, body="stuurgroep", answer_by=coming + timedelta(days=21))
    with pytest.raises(InvalidInput, match=f"--as-of {coming} is after today"):
        run_round_day(app, coming)
    with pytest.raises(InvalidInput, match=f"--as-of {coming} is after today"):
        prepare_meetings(app, coming)
    assert keys(app) == [] and archived(app) == []
