"""What an owner meets on a round's first days (walk27 findings 1, 2, 7, 8): the digest and the
round request of one cycle both carry links that answer; a round is chased once, on its last
working day, and not on the working day after its request (walk32b 3); a round counts only
the answers reported in its own window; the request names the meeting and each item's stand."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from governance.answers import Answerer, AnswerInput
from regie.answers import record_answer
from regie.bootstrap import App
from regie.cycle import send_reminders
from regie.rounds import round_status, run_round_day
from store import Repository
from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN, answers_app
from tests.integration.link_setup import LINK, delivered_text, link_app, queue_and_send
from tests.integration.test_round_messages import slack_texts
from web.app import create_app

RULE_ONLY = pytest.mark.one_database(
    "the round's rules and words, from SQL this file's other PostgreSQL tests run"
)

DAY = date(2025, 6, 10)  # a Tuesday: anna's first reminder digest (1.1.1) goes out
ANSWER_BY = date(2025, 6, 13)  # a Friday: a round started on the 10th is chased on the 12th


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return link_app(migrated_url, tmp_path)


def keys(app: App) -> list[str]:
    with app.session() as session:
        return [m.key for m in Repository(session, "wegen-test").outbox()]


def round_links(app: App, key: str) -> dict[str, str]:
    """The delivered round message's links by item id."""
    import re

    text = delivered_text(app, key)
    items = re.findall(r"^- (\S+) ", text, flags=re.M)
    return dict(zip(items, [m[1] for m in LINK.findall(text)], strict=True))


def csrf(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def updates(app: App) -> int:
    with app.session() as session:
        return len(Repository(session, "wegen-test").status_updates())


def test_a_digest_and_a_round_request_of_one_day_both_answer(app: App) -> None:
    ((item, digest_link),) = queue_and_send(app, DAY)["anna"]
    run_round_day(app, DAY, body="stuurgroep", answer_by=ANSWER_BY)
    send_reminders(app)
    request = round_links(app, "round:1:anna:request")
    assert item == "1.1.1" and set(request) == {"1.1.1", "1.1.2", "2.1"}
    web = TestClient(create_app(app), raise_server_exceptions=True)
    # Both links of that day answer: neither message replaces the other.
    form = web.get(f"/antwoord/{digest_link}")
    assert form.status_code == 200
    assert web.get(f"/antwoord/{request['1.1.1']}").status_code == 200
    stuck = {"status": "at_risk", "note": "Wacht op de aanbesteding", "csrf_token": csrf(form.text)}
    done = web.post(f"/antwoord/{digest_link}", data=stuck)
    assert done.status_code == 200 and updates(app) == 1
    again = web.post(f"/antwoord/{digest_link}", data=stuck)
    assert again.status_code == 409 and updates(app) == 1  # once per link, as before
    # The round's link for the same item still answers (its form shows the answer just given).
    other = web.get(f"/antwoord/{request['1.1.1']}")
    assert other.status_code == 200
    answered = {
        "status": "at_risk",
        "note": "Wacht op de aanbesteding",
        "csrf_token": csrf(other.text),
    }
    assert web.post(f"/antwoord/{request['1.1.1']}", data=answered).status_code == 200
    assert updates(app) == 2
    # The round's one chase (12 June, the last working day before 13 June) leaves the
    # request's links valid: the owner answers through whichever of the two mails they open
    # (walk32b 3). Nothing is chased on the 11th, the working day after the request.
    run_round_day(app, date(2025, 6, 11))
    assert not [k for k in keys(app) if ":chase:" in k]
    run_round_day(app, date(2025, 6, 12))
    send_reminders(app)
    chase = round_links(app, "round:1:anna:chase:2025-06-12")
    assert {"1.1.2", "2.1"} <= set(chase)
    assert web.get(f"/antwoord/{request['1.1.2']}").status_code == 200
    assert web.get(f"/antwoord/{chase['1.1.2']}").status_code == 200


@RULE_ONLY
def test_a_round_is_chased_once_and_never_the_working_day_after_its_request(
    app: App,
) -> None:
    started = date(2025, 6, 11)  # a Wednesday: the round answered by Friday 13 June
    for day in (started, started, date(2025, 6, 12)):  # a day run twice chases no more
        run_round_day(app, day, **({"body": "stuurgroep", "answer_by": ANSWER_BY}
                                   if day == started else {}))  # fmt: skip
    # Thursday is the working day right after the request: no chase at all (walk32b 3).
    assert not [k for k in keys(app) if ":chase:" in k]


@RULE_ONLY
def test_a_round_started_in_time_is_chased_on_its_last_working_day_only(app: App) -> None:
    # Thursday 5 June for Wednesday 11 June (Whit Monday 9 June is a public holiday).
    run_round_day(app, date(2025, 6, 5), body="stuurgroep", answer_by=date(2025, 6, 11))
    day = date(2025, 6, 6)
    while day < date(2025, 6, 11):
        for _ in range(2):
            run_round_day(app, day)
        day += timedelta(days=1)
    assert sorted(k for k in keys(app) if ":chase:" in k) == [
        "round:1:anna:chase:2025-06-10",
        "round:1:bram:chase:2025-06-10",
        "round:1:carla:chase:2025-06-10",
    ]


@RULE_ONLY
def test_a_chase_day_on_which_nothing_ran_is_caught_up_before_the_answer_by_day(
    app: App,
) -> None:
    # Monday 2 June for Tuesday 10 June: chased on Friday 6 June (Whit Monday 9 June is a public
    # holiday). Nothing runs on the 6th; the Saturday's run chases, once, under the chase day's
    # key; the runs after it (again that day, Sunday, the holiday) queue nothing new.
    run_round_day(app, date(2025, 6, 2), body="stuurgroep", answer_by=date(2025, 6, 10))
    for day in (date(2025, 6, 3), date(2025, 6, 4), date(2025, 6, 5)):
        run_round_day(app, day)
    assert not [k for k in keys(app) if ":chase:" in k]
    expected = [
        "round:1:anna:chase:2025-06-06",
        "round:1:bram:chase:2025-06-06",
        "round:1:carla:chase:2025-06-06",
    ]
    run_round_day(app, date(2025, 6, 7))
    assert sorted(k for k in keys(app) if ":chase:" in k) == expected
    for day in (date(2025, 6, 7), date(2025, 6, 8), date(2025, 6, 9), date(2025, 6, 10)):
        run_round_day(app, day)
    assert sorted(k for k in keys(app) if ":chase:" in k) == expected
    assert [k for k in keys(app) if k.endswith(":summary")]  # the 10th closes the round


@RULE_ONLY
def test_a_round_chased_is_not_chased_again_when_its_chase_day_moves(
    migrated_url: str, tmp_path: Path
) -> None:
    # Chased on Friday 6 June; the office then makes that Friday a day off: the chase day is
    # now Thursday 5 June, already past. The Saturday's run sends no second chase under it.
    plan = tmp_path / "sluitingsdag.yaml"
    text = ANSWERS_PLAN.read_text(encoding="utf-8")
    plan.write_text(text, encoding="utf-8")
    app = link_app(migrated_url, tmp_path, plan)
    run_round_day(app, date(2025, 6, 2), body="stuurgroep", answer_by=date(2025, 6, 10))
    run_round_day(app, date(2025, 6, 6))
    chased = sorted(k for k in keys(app) if ":chase:" in k)
    assert chased and all(k.endswith(":chase:2025-06-06") for k in chased)
    closed = "calendar:\n  extra_days_off: [2025-06-06]\n\norganisations:"
    plan.write_text(text.replace("organisations:", closed, 1), encoding="utf-8")
    assert app.load_plan().calendar.extra_days_off
    run_round_day(app, date(2025, 6, 7))
    assert sorted(k for k in keys(app) if ":chase:" in k) == chased


@RULE_ONLY
def test_a_round_chased_is_not_chased_again_when_its_chase_day_moves_later(
    migrated_url: str, tmp_path: Path
) -> None:
    """review14 3: Friday 6 June is a day off, so the round (answers by Tuesday 10 June) is
    chased on Thursday 5 June. The office then takes the day off away: the chase day is now
    Friday 6 June, that very day's run. A round is chased once: nothing is queued under it, and
    `round tick` that day and the next says nothing queued."""
    plan = tmp_path / "sluitingsdag.yaml"
    text = ANSWERS_PLAN.read_text(encoding="utf-8")
    closed = "calendar:\n  extra_days_off: [2025-06-06]\n\norganisations:"
    plan.write_text(text.replace("organisations:", closed, 1), encoding="utf-8")
    app = link_app(migrated_url, tmp_path, plan)
    run_round_day(app, date(2025, 6, 2), body="stuurgroep", answer_by=date(2025, 6, 10))
    run_round_day(app, date(2025, 6, 5))
    chased = sorted(k for k in keys(app) if ":chase:" in k)
    assert chased and all(k.endswith(":chase:2025-06-05") for k in chased)
    plan.write_text(text, encoding="utf-8")
    assert not app.load_plan().calendar.extra_days_off
    for day in (date(2025, 6, 6), date(2025, 6, 6), date(2025, 6, 7)):
        (progressed,) = run_round_day(app, day)["rounds"]
        assert progressed["queued"] == 0
    assert sorted(k for k in keys(app) if ":chase:" in k) == chased


@RULE_ONLY
def test_the_days_between_a_round_s_chase_and_its_answer_by_day_read_no_meeting_days(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review14 6: chased on Friday 6 June, the round (answers by Tuesday 10 June) has nothing
    to do on the weekend and Whit Monday: those runs expand no meeting schedule (the day's
    step knows from one small read that the chase went). The 10th closes it as before."""
    import regie.rounds as rounds_module

    run_round_day(app, date(2025, 6, 2), body="stuurgroep", answer_by=date(2025, 6, 10))
    run_round_day(app, date(2025, 6, 6))
    assert [k for k in keys(app) if ":chase:2025-06-06" in k]

    def unread(*_: object) -> None:
        raise AssertionError("meeting days read on a day no round does anything")

    monkeypatch.setattr(rounds_module, "meeting_days", unread)
    for day in (date(2025, 6, 7), date(2025, 6, 8), date(2025, 6, 9)):
        assert run_round_day(app, day)["rounds"][0]["queued"] == 0
    monkeypatch.undo()
    (closed,) = run_round_day(app, date(2025, 6, 10))["rounds"]
    assert closed["closed"] and [k for k in keys(app) if k.endswith(":summary")]


@RULE_ONLY
def test_a_round_counts_answers_up_to_the_day_it_closed(app: App) -> None:
    """An answer of the closing morning (in before the summary is written) counts; one reported
    after the round closed, or after the day `round status --as-of` asks about, does not."""
    run_round_day(app, DAY, body="stuurgroep", answer_by=ANSWER_BY)
    carla = Answerer("carla", "C")
    record_answer(
        app, AnswerInput("1.2", "on_track"), carla, channel="web", as_of=date(2025, 6, 12)
    )
    record_answer(app, AnswerInput("2.1", "on_track"), carla, channel="web", as_of=ANSWER_BY)
    (earlier,) = round_status(app, date(2025, 6, 11))
    assert earlier["answered"] == 0
    (on_the_12th,) = round_status(app, date(2025, 6, 12))
    assert on_the_12th["answered"] == 1
    run_round_day(app, ANSWER_BY)  # closes the round: its summary counts the morning's answer
    with app.session() as session:
        summary = next(
            m for m in Repository(session, "wegen-test").outbox() if m.key.endswith(":summary")
        )
    assert "2 van de 4 punten zijn beantwoord" in " ".join(summary.body_text.split())
    after = ANSWER_BY + timedelta(days=3)
    anna = Answerer("anna", "A")
    record_answer(app, AnswerInput("1.1.1", "on_track"), anna, channel="web", as_of=after)
    (status,) = round_status(app)
    assert status["answered"] == 2 and [i["id"] for i in status["without_answer"]] == [
        "1.1.1", "1.1.2",
    ]  # fmt: skip


@RULE_ONLY
def test_a_closed_round_counts_what_its_summary_counted(app: App) -> None:
    """Review4 #3: an answer recorded on the closing day after the summary was queued is not
    the round's: `round status` then says what the summary said."""
    run_round_day(app, DAY, body="stuurgroep", answer_by=ANSWER_BY)
    run_round_day(app, ANSWER_BY)  # closes the round: "0 van de 4"
    late = AnswerInput("1.2", "on_track")
    record_answer(app, late, Answerer("carla", "C"), channel="web", as_of=ANSWER_BY)
    (status,) = round_status(app)
    assert status["answered"] == 0 and len(status["without_answer"]) == 4


@RULE_ONLY
def test_a_chase_shows_each_item_s_stand_without_answer_links(
    migrated_url: str, tmp_path: Path
) -> None:
    """Review4 #1: an office that takes answers by reply (no answer links) sends chases that
    show each item's stand, as the request did."""
    app = answers_app(migrated_url, tmp_path)  # no secret key: no answer links
    run_round_day(app, DAY, body="stuurgroep", answer_by=ANSWER_BY)
    run_round_day(app, date(2025, 6, 12))
    with app.session() as session:
        found = {m.key: m for m in Repository(session, "wegen-test").outbox()}
    assert "Stand:" in found["round:1:anna:request"].body_text
    assert "Stand:" in found["round:1:anna:chase:2025-06-12"].body_text


def test_round_status_as_of_a_day(regie_home: Path) -> None:
    env = {"REGIE_PLAN": str(ANSWERS_PLAN)}
    start = ["round", "start", "--body", "stuurgroep", "--answer-by", "2025-06-13"]
    assert regie(*start, "--as-of", "2025-06-10", env=env).code == 0
    update = ["update", "1.2", "--status", "on_track", "--as-of", "2025-06-12"]
    assert regie(*update, env=env).code == 0
    before = regie("round", "status", "--as-of", "2025-06-11", env=env)
    assert before.code == 0 and "0/4 items answered" in before.out
    assert "1/4 items answered" in regie("round", "status", env=env).out
    bad = regie("round", "status", "--as-of", "11-06-2025", env=env)
    assert bad.code == 2 and bad.err.startswith("--as-of: ")


def test_the_request_names_the_meeting_and_each_item_s_stand(
    migrated_url: str, tmp_path: Path
) -> None:
    """Walk27 finding 7: the request says for which meeting (its date) and how each item stands,
    as the digest of the same day does ("te laat", working days past the deadline)."""
    app = link_app(migrated_url, tmp_path, plan=ANSWERS_PLAN.parent / "second_programme.yaml")
    # The programmaraad meets on 16 September 2024; its pack day is 11 September.
    run_round_day(app, date(2024, 9, 6), body="programmaraad", answer_by=date(2024, 9, 11))
    run_round_day(app, date(2024, 9, 10))  # a chase day
    with app.session() as session:
        found = {m.key: m for m in Repository(session, app.load_plan().programme.id).outbox()}
    request = found["round:1:logius-contact:request"]
    chase = found["round:1:logius-contact:chase:2024-09-10"]
    text = " ".join(request.body_text.split())
    assert "Voor de vergadering van 16 september 2024 (Programmaraad Digitale" in text
    assert "Stand: te laat (112 werkdagen over de deadline)" in request.body_text
    html = request.body_html or ""
    assert "vergadering van 16 september 2024" in html
    assert "te laat<br><strong>112 werkdagen over de deadline</strong>" in html
    slack = slack_texts(request)
    assert slack["intro"].startswith("Voor de vergadering van 16 september 2024 (")
    assert "Stand: te laat (112 werkdagen over de deadline)" in slack["item:1.1.1"]
    assert "voor de vergadering van 16 september 2024" in chase.body_text
    assert "Stand: te laat (114 werkdagen over de deadline)" in chase.body_text
    summary = run_round_day(app, date(2024, 9, 11))
    assert summary["rounds"][0]["closed"]
    with app.session() as session:
        (closing,) = [
            m
            for m in Repository(session, app.load_plan().programme.id).outbox()
            if m.kind == "round_summary"
        ]
    assert "De statusronde voor de vergadering van 16 september 2024" in closing.body_text
