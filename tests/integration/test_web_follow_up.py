"""The office's *Opvolging* page answers "who do we still have to chase?" from what the
database records (the brief of fix58b): the owners asked and silent, for how long, the items
escalated (to whom, when), the messages not delivered and the addresses that bounce — by the
rules the daily cycle and the agenda pack use, so that the three agree. The scenario: IenM
answers 1.2.1 (done), the staatssecretaris leaves 1.3.1 unanswered, 1.1.1 is escalated, and
RIVM's address bounces, and Telos's first digest failed."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from notifications.base import Delivery, Message, NotifierError
from regie import office
from regie.bootstrap import App
from tests.integration.test_web_item_page import _app, _client, visible

PAGE_ONLY = pytest.mark.one_database(
    "a page's filters, sort and CSV, from SQL this file's other PostgreSQL tests run"
)

#: 1.2.1 and 1.3.1 are due 30 November 2015 (asked that day and a week later); 1.1.1 is long
#: late and escalates on the second day.
DAYS = (date(2015, 11, 30), date(2015, 12, 7))
AS_OF = DAYS[-1]
TELOS, STAS, RIVM = "telos-voorbeeld", "stas-ienm-voorbeeld", "rivm-voorbeeld"
RIVM_MAIL = "g.voorbeeld.rivm@example.org"
MEETING = date(2016, 1, 12)  # the stuurgroep's next meeting
ANSWER_BY = date(2015, 12, 11)  # of its status round, started on the second day


class _TelosDown:
    """The configured notifier, except that mail to Telos fails on the first day."""

    def __init__(self, app: App) -> None:
        self.inner = app.notifier()
        self.channel = self.inner.channel
        self.day = DAYS[0]

    def send(self, message: Message) -> Delivery:
        if message.recipient == TELOS and self.day == DAYS[0]:
            raise NotifierError("550 5.1.1 mailbox unavailable")
        return self.inner.send(message)


def _scenario(tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[App, TestClient]:
    from regie.cycle import deadline_check, send_reminders
    from regie.history import record_update
    from regie.rounds import start_round
    from regie.services import sync
    from store import bounces

    app = _app(tmp_path, url)
    sync(app, None)
    down = _TelosDown(app)
    app.notifier = lambda plan=None: down  # type: ignore[method-assign]
    deadline_check(app, DAYS[0])
    send_reminders(app)
    # IenM answers 1.2.1; RIVM's digest of the first day bounces.
    record_update(
        app, "1.2.1", "done", as_of=date(2015, 12, 2), forecast=None,
        completed_on=date(2015, 12, 1), comment=None, author="ienm-voorbeeld",
    )  # fmt: skip
    with app.session() as session, session.begin():
        key = next(k for k in _digest_keys(app) if f":{RIVM}:" in k)
        (sent,) = bounces.find_messages(session, key=key, digest=None)
        now = datetime(2015, 12, 3, 9, 0, tzinfo=UTC)
        bounces.record(
            session, sent, dedupe_key="bounce-1", email=RIVM_MAIL,
            permanent=True, status="5.1.1", diagnostic="user unknown", reported_at=now, now=now,
        )  # fmt: skip
    down.day = DAYS[1]
    deadline_check(app, DAYS[1])
    # The stuurgroep's status round asks Telos too, answer by Friday.
    start_round(app, "stuurgroep", ANSWER_BY, "owner:Telos", DAYS[1])
    send_reminders(app)
    monkeypatch.setattr(office, "today", lambda app: AS_OF)
    return app, _client(app)


def _digest_keys(app: App) -> list[str]:
    from store import Repository

    with app.session() as session:
        repo = Repository(session, app.load_plan().programme.id)
        return [m.key for m in repo.outbox() if m.kind == "reminder_digest"]


def _ids(html: str) -> list[str]:
    return re.findall(r'<td data-label="Nr" class="item-id"><a href="/items/([^"]+)">', html)


def _row(html: str, item_id: str) -> str:
    part = html.split(f'<a href="/items/{item_id}">', 1)[1]
    return visible(part.split("</tr>", 1)[0])


def test_the_follow_up_page_names_the_silent_the_escalated_and_the_undelivered(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie.follow_up import follow_up
    from regie.report_build import agenda_pack
    from store import Repository

    app, web = _scenario(tmp_path, migrated_url, monkeypatch)
    page = web.get("/opvolging")
    assert page.status_code == 200
    ids = _ids(page.text)
    # Answered: not to chase. Unanswered: asked twice, not escalated. Escalated: to the office.
    assert "1.2.1" not in ids and "1.3.1" in ids and "1.1.1" in ids
    assert _row(page.text, "1.3.1") == (
        "1.3.1 Klimaatambassadeur (te laat, deadline 30 november 2015) Staatssecretaris IenM "
        "B. Voorbeeld (staf staatssecretaris IenM, fictief) 30 november 2015 (laatst 7 december "
        "2015) 5 2 herinneringen nee"
    )
    assert _row(page.text, "1.1.1").endswith(
        "30 november 2015 5 1 herinnering op 7 december 2015 aan Programmabureau MVI (voorbeeld)"
    )
    text = visible(page.text)
    # RIVM's address bounces; Telos's first digest failed.
    bounced = text.split("Adres komt terug", 2)[2]
    assert RIVM_MAIL in bounced and "5.1.1 user unknown" in bounced
    missing = text.split("Niet afgeleverd", 2)[2].split("Adres komt terug")[0]
    assert "herinnering" in missing and "550 5.1.1 mailbox unavailable" in missing
    assert 'aria-current="page">Opvolging</a>' in page.text

    # The cycle's own record: each escalation the page shows is the one the cycle raised (its
    # day and contacts) ...
    view = follow_up(app, AS_OF)
    with app.session() as session:
        events = Repository(session, app.load_plan().programme.id).events(since=DAYS[0])
    raised = {
        e.item_id: (e.occurred_on, tuple(sorted(str(e.payload["contacts"]).split(","))))
        for e in events
        if e.name == "regie.escalation.raised"
    }
    shown = {
        r.chase.item_id: (r.chase.escalated_on, r.chase.escalated_to)
        for r in view.everything
        if r.chase.escalated_on is not None
    }
    assert shown == raised and "1.1.1" in shown
    # ... and the pack puts the same items to the body as escalations left unanswered.
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    in_pack = {a.item.item_id: a.escalated_on for a in pack.asked if a.escalated_on is not None}
    assert in_pack == {i: day for i, (day, _) in shown.items()}
    # The unanswered requests are the reminders the outbox holds for the item since its
    # latest answer: 1.3.1 was asked on both days.
    (stas,) = [r.chase for r in view.everything if r.chase.item_id == "1.3.1"]
    assert (stas.reminders, stas.asked_since, stas.last_asked) == (2, DAYS[0], DAYS[1])
    assert stas.contacts == (STAS,) and stas.escalated_on is None

    # The open round's items without an answer are those `regie round status` names.
    from regie.rounds import round_status

    (open_round,) = round_status(app, AS_OF)
    in_round = {r.chase.item_id for r in view.everything if r.chase.rounds}
    named = {i["id"] for i in open_round["without_answer"]}
    assert in_round == named == {"2.3.1", "2.3.2", "2.3.3"}
    assert _row(page.text, "2.3.1").endswith(
        "(laatst 7 december 2015) 5 1 herinnering; statusronde Stuurgroep Plan van aanpak MVI "
        "(antwoord uiterlijk 11 december 2015) op 7 december 2015 aan Programmabureau MVI "
        "(voorbeeld)"
    )

    # The command line says the same.
    from regie.cli.follow_up import as_json

    got = as_json(view)
    assert [i["id"] for i in got["items"]] == [r.chase.item_id for r in view.everything]
    assert [b["contact"] for b in got["bounced"]] == [RIVM]
    assert [(m["contact"], m["status"]) for m in got["undelivered"]] == [(TELOS, "failed")]


@PAGE_ONLY
def test_the_follow_up_page_filters_sorts_and_downloads_without_formulas(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, web = _scenario(tmp_path, migrated_url, monkeypatch)
    every = _ids(web.get("/opvolging").text)
    stas = web.get("/opvolging", params={"eigenaar": "stas-IenM"})
    assert stas.status_code == 200
    assert set(_ids(stas.text)) == {"1.3.1", "1.3.2", "1.3.3"} and len(every) > 3
    assert "passen bij het filter" in visible(stas.text)
    # RIVM's bounce is not the staatssecretaris's business.
    assert RIVM_MAIL not in stas.text and RIVM_MAIL in web.get("/opvolging").text
    by_number = _ids(web.get("/opvolging", params={"sorteer": "nummer"}).text)
    assert by_number == sorted(by_number, key=lambda i: [int(p) for p in i.split(".")])
    step = _ids(web.get("/opvolging", params={"stap": "1"}).text)
    assert step and all(i.startswith("1.") for i in step)
    bad = web.get("/opvolging", params={"eigenaar": "XYZ", "sorteer": "kleur"})
    assert bad.status_code == 400
    said = visible(bad.text)
    assert "Eigenaar: onbekende organisatie ‘XYZ’." in said
    assert "Sorteren: onbekende volgorde ‘kleur’." in said
    assert web.get("/opvolging.csv", params={"stap": "99"}).status_code == 400

    # A page at a time, as /te-laat; the links keep the sort, the CSV holds every row.
    monkeypatch.setattr(office, "PAGE_SIZE", 5)
    first = web.get("/opvolging", params={"sorteer": "nummer"}).text
    assert _ids(first) == by_number[:5]
    assert "Pagina 1 van 3: 5 van de 15 punten." in visible(first)
    assert 'href="?sorteer=nummer&amp;pagina=2" rel="next"' in first
    beyond = web.get("/opvolging", params={"sorteer": "nummer", "pagina": "9"}).text
    assert _ids(beyond) == by_number[10:]
    assert "Pagina 9 bestaat niet (meer); dit is de laatste pagina (3)." in visible(beyond)
    whole = web.get("/opvolging.csv", params={"sorteer": "nummer"}).content.decode("utf-8-sig")
    assert [r[0] for r in csv.reader(io.StringIO(whole), delimiter=";")][1:] == by_number
    monkeypatch.undo()
    monkeypatch.setattr(office, "today", lambda app: AS_OF)

    got = web.get("/opvolging.csv", params={"eigenaar": "stas-IenM", "sorteer": "nummer"})
    assert got.status_code == 200
    assert got.headers["content-type"] == "text/csv; charset=utf-8"
    assert got.headers["content-disposition"] == 'attachment; filename="opvolging-2015-12-07.csv"'
    assert got.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["Nr", "Punt", "Stap", "Eigenaren", "Gevraagd aan", "Gevraagd sinds"]
    assert [r[0] for r in rows[1:]] == ["1.3.1", "1.3.2", "1.3.3"]
    assert rows[1][5:9] == ["2015-11-30", "2015-12-07", "5", "2"]


def test_a_title_that_looks_like_a_formula_is_inert_in_the_csv() -> None:
    from governance.follow_up import Chase
    from regie.follow_up import ChaseRow, FollowUp
    from regie.follow_up_csv import follow_up_csv
    from regie.office import Filters

    chase = Chase("1.1", ("X",), ("c",), AS_OF, AS_OF, 1, (), None, (), 0)
    row = ChaseRow(chase, "=HYPERLINK(1)", 1, "overdue", None, ("-X",), ("@c",), ())
    view = FollowUp(AS_OF, [row], 1, 0, [], [], [], Filters(), "dagen", [], everything=[row])
    (_, line) = list(
        csv.reader(io.StringIO(follow_up_csv(view).decode("utf-8-sig")), delimiter=";")
    )
    assert line[1] == "'=HYPERLINK(1)" and line[3] == "'-X" and line[4] == "'@c"


@PAGE_ONLY
def test_regie_follow_up_says_what_the_page_shows(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from regie.cli.follow_up import as_json
    from regie.follow_up import follow_up
    from tests.cli_in_process import regie

    app, _ = _scenario(tmp_path, migrated_url, monkeypatch)
    settings = app.settings
    env = {
        "REGIE_HOME": str(settings.home),
        "REGIE_DATABASE_URL": migrated_url,
        "REGIE_PLAN": str(settings.plan_path),
    }
    day = ["--as-of", AS_OF.isoformat()]
    got = regie("follow-up", *day, "--format", "json", env=env)
    assert got.code == 0, got.err
    assert json.loads(got.out) == as_json(follow_up(app, AS_OF))
    table = regie("follow-up", *day, "--owner", "stas-IenM", "--sort", "number", env=env)
    assert table.code == 0, table.err
    assert table.out.splitlines()[:3] == [
        "follow-up on 2015-12-07: 15 items without an answer, 6 escalated",
        "matching the filters: 3",
        "1.3.1  stas-IenM: asked stas-ienm-voorbeeld since 2015-11-30 (5 working days), "
        "2 reminders",
    ]
    assert "not delivered: 2015-11-30 reminder_digest to telos-voorbeeld: failed" not in (table.out)
    every = regie("follow-up", *day, env=env).out
    assert "not delivered: 2015-11-30 reminder_digest to telos-voorbeeld: failed" in every
    assert "bounces: rivm-voorbeeld <g.voorbeeld.rivm@example.org>: 5.1.1 user unknown" in every
    wrong = regie("follow-up", "--owner", "XYZ", env=env)
    assert wrong.code == 2 and "--owner: unknown organisation 'XYZ'" in wrong.err
