"""What a status round's messages say, by e-mail and in Slack (built from the outbox payload):
dates in Dutch, the unanswered items with their Gereed and deadline, response counted against
the items' owners, and numbers that agree with their nouns."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from governance.answers import Answerer, AnswerInput
from regie.answers import record_answer
from regie.bootstrap import App
from regie.mapping import message_from_outbox
from regie.rounds import round_status, run_round_day
from store import OutboxRecord, Repository
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import link_app

TEXT_ONLY = pytest.mark.one_database(
    "the messages' words, from SQL this file's other PostgreSQL tests run"
)

START = date(2025, 6, 2)  # a Monday
ANSWER_BY = date(2025, 6, 20)  # a Friday
SECOND_PLAN = ANSWERS_PLAN.parent / "second_programme.yaml"


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return link_app(migrated_url, tmp_path)


def outbox(app: App) -> dict[str, OutboxRecord]:
    programme = app.load_plan().programme.id
    with app.session() as session:
        return {m.key: m for m in Repository(session, programme).outbox()}


def slack_texts(record: OutboxRecord) -> dict[str, str]:
    """The Slack message's section texts by block id, as the Slack notifier would send them."""
    from notifications.slack_blocks import digest_blocks

    blocks = digest_blocks(message_from_outbox(record))
    return {b["block_id"]: b["text"]["text"] for b in blocks if b["type"] == "section"}


@TEXT_ONLY
def test_slack_summary_shows_gereed_and_deadline_of_unanswered_items(app: App) -> None:
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    run_round_day(app, ANSWER_BY)  # nobody answered: the summary lists all four
    texts = slack_texts(outbox(app)["round:1:office:summary"])
    assert "Gereed: _Q3-2025_ · deadline 30 september 2025" in texts["item:1.1.2"]
    assert "Gereed: _Q4-2025_ · deadline 31 december 2025" in texts["item:1.2"]
    assert "geen datum" not in "".join(texts.values())
    (status,) = round_status(app)
    assert status["without_answer"][1] == {
        "id": "1.1.2",
        "title": "Prioriteiten",
        "owners": ["GEM"],
        "owner_names": ["Gemeente Rivierstad"],
        "gereed": "Q3-2025",
        "due": "2025-09-30",
    }


@TEXT_ONLY
def test_request_and_chase_give_the_answer_by_date_in_dutch_as_voor(app: App) -> None:
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    run_round_day(app, date(2025, 6, 19))  # a chase day
    messages = outbox(app)
    request = slack_texts(messages["round:1:anna:request"])["intro"]
    chase = slack_texts(messages["round:1:anna:chase:2025-06-19"])["intro"]
    # "vóór", as the subjects say: the round closes on the morning of the answer-by date.
    assert "vóór 20 juni 2025 om een update" in request
    assert "(graag vóór 20 juni 2025)" in chase
    assert "2025-06-20" not in request + chase
    # The e-mails say the same, in text and HTML.
    for key in ("round:1:anna:request", "round:1:anna:chase:2025-06-19"):
        mail = messages[key]
        assert "Wilt u vóór 20 juni 2025 laten weten" in " ".join(mail.body_text.split())
        assert "vóór <strong>20 juni 2025</strong>" in (mail.body_html or "")
        assert "uiterlijk" not in mail.body_text + (mail.body_html or "")
        assert "uiterlijk" not in "".join(slack_texts(mail).values())
        assert "vóór 20 juni 2025" in mail.subject


def test_summary_counts_each_item_for_its_owners_not_for_who_answers(
    migrated_url: str, tmp_path: Path
) -> None:
    """2.1 is owned by *gemeenten*, who have no contact: the office (BZK) is asked about it, but
    it counts for gemeenten; 2.2 is BZK's own. Logius answers one of its two items."""
    app = link_app(migrated_url, tmp_path, plan=SECOND_PLAN)
    start, answer_by = date(2024, 6, 3), date(2024, 6, 14)
    run_round_day(app, start, body="programmaraad", answer_by=answer_by)
    record_answer(
        app,
        AnswerInput("1.1.2", "on_track"),
        Answerer("logius-contact", "L"),
        channel="web",
        as_of=date(2024, 6, 5),
    )
    run_round_day(app, answer_by)
    (status,) = round_status(app)
    assert status["organisations"] == [
        {
            "id": "BZK",
            "name": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
            "asked": 1,
            "answered": 0,
            "rate": 0.0,
        },
        {"id": "Logius", "name": "Logius", "asked": 2, "answered": 1, "rate": 0.5},
        {"id": "gemeenten", "name": "Gemeenten (VNG)", "asked": 1, "answered": 0, "rate": 0.0},
    ]
    summary = outbox(app)["round:1:office:summary"]
    assert (
        "- Ministerie van Binnenlandse Zaken en Koninkrijksrelaties: 0 van 1 (0%)"
        in summary.body_text
    )
    assert "- Gemeenten (VNG): 0 van 1 (0%)" in summary.body_text
    assert "- Logius: 1 van 2 (50%)" in summary.body_text
    assert "- 2.1 Verbeterplannen gemeenten (eigenaar: Gemeenten (VNG))" in summary.body_text
    assert "- 1.1.1 Steekproef trekken (eigenaar: Logius)" in summary.body_text
    assert summary.body_html is not None
    assert "<li>2.1 Verbeterplannen gemeenten (eigenaar: Gemeenten (VNG))</li>" in summary.body_html
    assert "eigenaar: Gemeenten (VNG)" in slack_texts(summary)["item:2.1"]


@TEXT_ONLY
def test_an_item_with_two_owners_is_named_with_both(app: App) -> None:
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY, scope="step:2")
    run_round_day(app, ANSWER_BY)
    summary = outbox(app)["round:1:office:summary"]
    assert (
        "- 2.1 Aanbesteden (eigenaren: Provincie Noordwaarts, Gemeente Rivierstad)"
        in summary.body_text
    )
    assert (
        "eigenaren: Provincie Noordwaarts, Gemeente Rivierstad" in slack_texts(summary)["item:2.1"]
    )


@pytest.mark.parametrize(
    ("scope", "answered", "sentence", "subject"),
    [
        (None, ["1.1.1"], "1 van de 4 punten is beantwoord", "1 van 4 punten beantwoord"),
        (None, ["1.1.1", "1.2"], "2 van de 4 punten zijn beantwoord", "2 van 4 punten beantwoord"),
        ("step:2", [], "het enige gevraagde punt is niet beantwoord", "0 van 1 punt beantwoord"),
        ("step:2", ["2.1"], "het enige gevraagde punt is beantwoord", "1 van 1 punt beantwoord"),
    ],
)
def test_summary_numbers_agree_with_their_nouns(
    app: App, scope: str | None, answered: list[str], sentence: str, subject: str
) -> None:
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY, scope=scope)
    for item in answered:
        record_answer(
            app, AnswerInput(item, "on_track"), Answerer("office", "P"), channel="web", as_of=START
        )
    run_round_day(app, ANSWER_BY)
    summary = outbox(app)["round:1:office:summary"]
    capitalised = sentence[0].upper() + sentence[1:]
    assert f"vóór 20 juni 2025. {capitalised}.\n" in summary.body_text
    assert summary.body_html is not None and (
        f"v&oacute;&oacute;r 20 juni 2025. {capitalised}.</p>" in summary.body_html
    )
    assert summary.subject.endswith(f"gesloten: {subject}")
    assert f"is gesloten: {sentence}." in slack_texts(summary)["intro"]


@TEXT_ONLY
def test_round_mails_keep_each_sentence_on_one_line(app: App) -> None:
    """The text mails flow like the other digests: a sentence is never broken by hand inside,
    so a long body name or date does not leave half a sentence on a line of its own."""
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    run_round_day(app, date(2025, 6, 19))  # a chase day
    run_round_day(app, ANSWER_BY)
    messages = outbox(app)
    request = messages["round:1:anna:request"].body_text.splitlines()
    chase = messages["round:1:anna:chase:2025-06-19"].body_text.splitlines()
    summary = messages["round:1:office:summary"].body_text.splitlines()
    assert any(line.startswith("Voor de ") and "(Stuurgroep Fietsroutes) vragen we de stand" in line
               for line in request)  # fmt: skip
    # The sentence on how to answer (walk29 finding 8) follows on the same line.
    for lines in (request, chase):
        assert any(line.startswith("Geef per punt") and line.endswith("één keer te gebruiken).")
                   for line in lines)  # fmt: skip
    assert any(line.startswith("Wilt u vóór 20 juni 2025") and line.endswith("punten:")
               for line in chase)  # fmt: skip
    assert any(line.startswith("De statusronde voor de ")
               and "is gesloten; het antwoord was gevraagd vóór 20 juni 2025." in line
               for line in summary)  # fmt: skip
    for key, lines in (("round:1:anna:request", request), ("round:1:anna:chase:2025-06-19", chase),
                       ("round:1:office:summary", summary)):  # fmt: skip
        assert f"Bij vragen over dit bericht: kenmerk {key}." in lines[-1]


@TEXT_ONLY
def test_a_chase_thanks_a_contact_who_answered_part_of_the_round(app: App) -> None:
    """Anna answered 1.1.1 of her three items: her chase asks about the other two and does not
    tell her that nothing came in from her; Bram, who answered nothing, is told so."""
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    record_answer(
        app, AnswerInput("1.1.1", "on_track"), Answerer("anna", "A"), channel="web",
        as_of=date(2025, 6, 4),
    )  # fmt: skip
    run_round_day(app, date(2025, 6, 19))
    messages = outbox(app)
    anna = messages["round:1:anna:chase:2025-06-19"]
    assert [i["id"] for i in anna.payload["items"]] == ["1.1.2", "2.1"]
    for text in (" ".join(anna.body_text.split()), anna.body_html or ""):
        assert "Dank voor uw update voor de" in text
        assert "Over de punten hieronder hebben we nog niets van u ontvangen." in text
        assert "nog geen update van u ontvangen" not in text
    bram = messages["round:1:bram:chase:2025-06-19"]
    assert "We hebben nog geen update van u ontvangen" in " ".join(bram.body_text.split())
    assert "Dank voor uw update" not in bram.body_text + (bram.body_html or "")


@TEXT_ONLY
def test_a_chase_thanks_only_who_answered_not_the_co_owners_of_an_answered_item(
    app: App,
) -> None:
    """Anna (GEM) answers the shared 2.1 (PROV, GEM): Bram and Carla of PROV sent nothing, so
    their chase does not thank them."""
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    record_answer(
        app, AnswerInput("2.1", "on_track"), Answerer("anna", "A"), channel="web",
        as_of=date(2025, 6, 4),
    )  # fmt: skip
    run_round_day(app, date(2025, 6, 19))
    messages = outbox(app)
    for who in ("bram", "carla"):
        chase = messages[f"round:1:{who}:chase:2025-06-19"]
        assert "Dank voor uw update" not in chase.body_text + (chase.body_html or "")
        assert "We hebben nog geen update van u ontvangen" in " ".join(chase.body_text.split())


@TEXT_ONLY
def test_an_item_of_two_owners_counts_for_the_one_whose_contact_answered(app: App) -> None:
    """2.1 belongs to PROV and GEM; Anna (GEM) answers it and nothing else: it is GEM's
    response, and PROV, no longer asked about it (nor chased), is not counted for it. The
    item itself is answered (not in the list without an answer)."""
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    record_answer(
        app, AnswerInput("2.1", "on_track"), Answerer("anna", "A"), channel="web",
        as_of=date(2025, 6, 4),
    )  # fmt: skip
    run_round_day(app, ANSWER_BY)
    (status,) = round_status(app)
    assert status["organisations"] == [
        {"id": "GEM", "name": "Gemeente Rivierstad", "asked": 3, "answered": 1, "rate": 0.333},
        {"id": "PROV", "name": "Provincie Noordwaarts", "asked": 1, "answered": 0, "rate": 0.0},
    ]
    assert "2.1" not in [i["id"] for i in status["without_answer"]]
    summary = outbox(app)["round:1:office:summary"].body_text
    assert "- Provincie Noordwaarts: 0 van 1 (0%)" in summary


def test_a_dependent_items_computed_deadline_is_in_the_request_and_the_chase(
    migrated_url: str, tmp_path: Path
) -> None:
    """walk30 8: the digest shows a dependent item's computed deadline ("Afhankelijk van …
    (deadline …)"); a round's request and chase show the same date, not the bare *gereed*."""
    from notifications.render import format_date_nl as datum
    from regie.rounds import _assessed

    plan = tmp_path / "afhankelijk.yaml"
    plan.write_text(
        ANSWERS_PLAN.read_text(encoding="utf-8")
        + """      - id: "2.2"
        title: Routes openstellen
        owners: [PROV]
        gereed: Afhankelijk van het ontwerp
        depends_on: ["1.2"]
""",
        encoding="utf-8",
    )
    app = link_app(migrated_url, tmp_path / "home", plan)
    from regie.services import sync_store

    with app.session() as session, session.begin():
        sync_store(app, session, app.load_plan())
    record_answer(
        app,
        AnswerInput("1.2", "done", completed_on=date(2025, 5, 30)),
        Answerer("carla", "C"),
        channel="web",
        as_of=date(2025, 5, 30),
    )
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    run_round_day(app, date(2025, 6, 19))  # the last working day before: chases
    with app.session() as session:
        due = _assessed(session, app.load_plan(), START).items["2.2"].due
    assert due is not None  # computed from 1.2's completion
    sent = outbox(app)
    chase = next(k for k in sent if k.startswith("round:1:carla:chase:"))
    for key in ("round:1:carla:request", chase):
        text = " ".join(sent[key].body_text.split())
        assert f"Gereed: Afhankelijk van het ontwerp (deadline {datum(due)})" in text, text
        html = " ".join((sent[key].body_html or "").split())
        assert datum(due) in html, html
        [shown] = [i for i in sent[key].payload["items"] if i["id"] == "2.2"]
        assert shown["due"] == due.isoformat()


@TEXT_ONLY
def test_a_waiting_item_is_not_asked_in_a_round(migrated_url: str, tmp_path: Path) -> None:
    """walk32b 5: an item waiting on another (not done yet) has no deadline its owner can act
    on: the round's request and chase do not ask about it (no answer link), only about the
    owner's other open items; once what it waits on is done, the next round asks it."""
    plan = tmp_path / "wacht.yaml"
    plan.write_text(
        ANSWERS_PLAN.read_text(encoding="utf-8")
        + """      - id: "2.2"
        title: Routes openstellen
        owners: [PROV]
        gereed: Afhankelijk van het ontwerp
        depends_on: ["1.2"]
""",
        encoding="utf-8",
    )
    app = link_app(migrated_url, tmp_path / "home", plan)
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    run_round_day(app, date(2025, 6, 19))  # the last working day before: chases
    sent = outbox(app)
    asked = [k for k in sent if k.startswith("round:1:") and ":summary" not in k]
    assert asked  # the round asks about the other open items
    for key in asked:
        ids = [i["id"] for i in sent[key].payload["items"]]
        assert "2.2" not in ids, (key, ids)
        assert "Routes openstellen" not in sent[key].body_text
    assert any("1.2" in [i["id"] for i in sent[k].payload["items"]] for k in asked)
    record_answer(
        app,
        AnswerInput("1.2", "done", completed_on=date(2025, 6, 23)),
        Answerer("carla", "C"),
        channel="web",
        as_of=date(2025, 6, 23),
    )
    run_round_day(app, date(2025, 6, 24), body="stuurgroep", answer_by=date(2025, 7, 11))
    later = outbox(app)
    asked = [k for k in later if k.startswith("round:2:") and k.endswith(":request")]
    assert any("2.2" in [i["id"] for i in later[k].payload["items"]] for k in asked), asked


ENDED = "Het programma is op 30 mei 2025 geëindigd, maar"


@TEXT_ONLY
def test_a_round_after_the_programmes_end_tells_the_owners_it_ended(
    migrated_url: str, tmp_path: Path
) -> None:
    """round45 3: a round's request and chase sent after ``programme.end`` say in one sentence,
    as the reminder digest does (walk32b 7), that the programme ended and the items are still
    open: in the mail, its HTML and on Slack. The office's summary does not."""
    plan = tmp_path / "geeindigd.yaml"
    text = ANSWERS_PLAN.read_text(encoding="utf-8").replace("end: 2027-12-31", "end: 2025-05-30")
    plan.write_text(text, encoding="utf-8")
    app = link_app(migrated_url, tmp_path, plan)
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    run_round_day(app, date(2025, 6, 19))  # the chase
    run_round_day(app, ANSWER_BY)  # the summary
    found = outbox(app)
    asking = [m for m in found.values() if m.kind in ("round_request", "round_chase")]
    assert {m.kind for m in asking} == {"round_request", "round_chase"}
    assert any(len(m.payload["items"]) > 1 for m in asking)
    for m in asking:
        count = len(m.payload["items"])
        still = "dit punt staat" if count == 1 else f"deze {count} punten staan"
        sentence = f"{ENDED} {still} nog open."
        assert sentence in " ".join(m.body_text.split()), m.body_text
        html = (m.body_html or "").replace("ge&euml;indigd", "geëindigd")
        assert sentence in " ".join(html.split()), html
        assert sentence in " ".join(slack_texts(m).values()), slack_texts(m)
        # walk46 11e: the items are named once, then referred to.
        assert "laten weten hoe het ermee staat" in " ".join(m.body_text.split())
        assert "hoe het ermee staat" in " ".join(html.split())
        if count > 1:
            assert " ".join(m.body_text.split()).count(f"deze {count} punten") == 1
            assert " ".join(slack_texts(m).values()).count(f"deze {count} punten") == 1
    summary = found["round:1:office:summary"]
    assert "geëindigd" not in summary.body_text
    assert "programme_ended" not in summary.payload
