"""The office's subscriptions page shows each calendar token's status as `regie calendar token
list` does — active, revoked, contact left — with who made it and when it was last used, and
never a token itself; each scope by its name in the plan, the raw code beside it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import governance.clock
from regie.feeds import create_token, revoke_token
from store.actor import acting_as
from tests.integration.feed_clients import synced_app
from tests.integration.test_web_item_page import visible
from tests.integration.test_web_problem_pages import _office
from web.app import create_app

NOW = datetime(2016, 1, 11, 9, 0, tzinfo=UTC)
USED = datetime(2016, 1, 12, 9, 0, tzinfo=UTC)
KBAKKER = """  - id: kbakker
    name: K. Bakker
    organisation: GGD
    email: k.bakker@example.org
"""


def _tight(text: str) -> str:
    """:func:`visible` text without the spaces it puts inside brackets ("( stap: step:1 )")."""
    return re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", text))


def _rows(html: str) -> dict[int, dict[str, str]]:
    """Subscription number → its row in the table: column → visible text."""
    table = html.split("<h2>Bestaande abonnementen</h2>", 1)[1]
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:  # after the header row
        cells = {label: _tight(visible(cell)) for label, cell in
                 re.findall(r'<td data-label="([^"]+)"[^>]*>(.*?)</td>', row, re.S)}  # fmt: skip
        out[int(cells["Nr"])] = cells
    return out


def test_the_subscriptions_page_shows_each_tokens_status(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = synced_app(tmp_path, migrated_url)
    with acting_as("a.beheer"):
        everyone = create_token(app, "programme", "Iedereen", NOW)
        theirs = create_token(app, "contact:kbakker", "K. Bakker", NOW)
        gone = create_token(app, "org:GGD", None, NOW)
        step = create_token(app, "step:1", None, NOW)
        body = create_token(app, "body:regieteam", None, NOW)
    with acting_as("p.bureau"):
        revoke_token(app, gone.id, NOW)
    web = TestClient(create_app(app))
    with monkeypatch.context() as clock:  # Regie's clock when the calendar fetches it
        clock.setattr(governance.clock, "utcnow", lambda: USED)
        assert web.get(f"/calendar/{everyone.token}.ics").status_code == 200  # now last used
    plan = app.settings.plan_path
    text = plan.read_text("utf-8")
    assert KBAKKER in text
    plan.write_text(text.replace(KBAKKER, ""), "utf-8")

    page = _office(web, app).get("/agenda")
    assert page.status_code == 200
    rows = _rows(page.text)
    active, left, revoked = rows[everyone.id], rows[theirs.id], rows[gone.id]
    assert (active["Bereik"], active["Omschrijving"], active["Gemaakt"]) == (
        "Het hele programma (programme)", "Iedereen", "11 januari 2016"
    )  # fmt: skip
    # Each scope by its name in the plan, in Dutch; the raw code only beside it, which names
    # the kind itself ("contactpersoon: contact:…" said it twice, walk56c 7).
    assert revoked["Bereik"] == "GGD Regio, afdeling Preventie (org:GGD)"
    assert rows[step.id]["Bereik"] == "Stap 1: Inventariseren (step:1)"
    assert rows[body.id]["Bereik"] == "Regieteam Gezonde Wijk (body:regieteam)"
    assert left["Bereik"] == "Contactpersoon niet in het plan (contact:kbakker)"
    assert active["Gemaakt door"] == left["Gemaakt door"] == revoked["Gemaakt door"] == "a.beheer"
    # Dates as every office page writes them (walk56c 7).
    assert active["Laatst gebruikt"] == "12 januari 2016" and left["Laatst gebruikt"] == "nooit"
    assert active["Status"].startswith("actief Intrekken")
    assert left["Status"].startswith("contactpersoon niet meer in het plan")
    assert "Intrekken" in left["Status"]  # the office may still revoke it
    assert revoked["Status"] == "ingetrokken op 11 januari 2016 door p.bureau"
    for made in (everyone, theirs, gone):  # the secret address is shown once, when made
        assert made.token not in page.text


EMPTY_ORG = "  - id: LEEG\n    name: Leeg bureau (geen acties)\n"


def test_an_empty_scope_is_said_and_the_page_says_how_to_subscribe(
    tmp_path: Path, migrated_url: str
) -> None:
    """A scope with nothing dated makes an empty calendar: the page and `regie calendar token
    create` say so when the token is made; the page says how the recipient subscribes in
    Outlook, Google and Apple (calendar review, findings 5 and 6)."""
    from regie.services import sync
    from tests.cli_in_process import regie
    from web.security import CSRF_FIELD

    app = synced_app(tmp_path, migrated_url)
    plan = app.settings.plan_path
    text = plan.read_text("utf-8")
    plan.write_text(text.replace("contacts:\n", EMPTY_ORG + "\ncontacts:\n", 1), "utf-8")
    sync(app, None)
    web = _office(TestClient(create_app(app)), app)
    form = web.get("/agenda")
    csrf = form.text.split(f'name="{CSRF_FIELD}" value="', 1)[1].split('"', 1)[0]

    empty = visible(web.post("/agenda", data={CSRF_FIELD: csrf, "bereik": "org:LEEG"}).text)
    assert "Let op: deze agenda is nu leeg." in empty
    assert "Niets in dit bereik heeft al een datum." in empty
    for step in ("Abonneren via internet", "Via URL", "Nieuw agenda-abonnement",
                 "Niet op het adres klikken"):  # fmt: skip
        assert step in empty, step
    full = web.post("/agenda", data={CSRF_FIELD: csrf, "bereik": "programme"})
    assert "webcal://" in full.text
    shown = visible(full.text)
    assert "is nu leeg" not in shown
    assert re.search(r"Deze agenda heeft nu \d+ afspraken\.", shown), shown

    env = {"REGIE_HOME": str(app.settings.home), "REGIE_PLAN": str(plan),
           "REGIE_DATABASE_URL": app.settings.database_url}  # fmt: skip
    made = regie("calendar", "token", "create", "--scope", "org:LEEG", env=env)
    assert made.code == 0, made.err
    assert "holds no events today" in made.err and "/calendar/" in made.out
    made = regie("calendar", "token", "create", "--scope", "programme", env=env)
    assert made.code == 0 and "holds no events" not in made.err
    assert re.search(r"\d+ events today", made.out)
    # The number follows the count (walk49 13): GEM owns one dated item, 2.1.
    made = regie("calendar", "token", "create", "--scope", "org:GEM", env=env)
    assert made.code == 0 and "  1 event today\n" in made.out, made.out


DURATION = "      duration: 90\n"


def _options(html: str) -> list[tuple[str, str, str]]:
    """(group, value, visible text) of each choice in the "Bereik" picker."""
    picker = html.split('<select id="bereik"', 1)[1].split("</select>", 1)[0]
    out = []
    for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', picker, re.S):
        for value, text in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', body, re.S):
            out.append((label, value, visible(text)))
    return out


def test_the_scope_is_picked_by_name_and_the_typed_form_still_works(
    tmp_path: Path, migrated_url: str
) -> None:
    """`/agenda` offers the plan's contacts, organisations, steps and bodies by name, grouped,
    with the id beside each (no typing `org:ID`); a script may still post the typed form; a
    body whose dates are an example's says so; a broken plan file leaves the typed field."""
    from web.security import CSRF_FIELD

    app = synced_app(tmp_path, migrated_url)
    plan = app.settings.plan_path
    text = plan.read_text("utf-8")
    plan.write_text(text.replace(DURATION, DURATION + "      example: true\n"), "utf-8")
    web = _office(TestClient(create_app(app)), app)
    page = web.get("/agenda")
    assert page.status_code == 200
    assert _options(page.text) == [
        ("Alles", "programme", "Het hele programma"),
        ("Contactpersonen (de deadlines waarover zij worden herinnerd)", "contact:kbakker",
         "K. Bakker, GGD Regio, afdeling Preventie (kbakker)"),
        ("Contactpersonen (de deadlines waarover zij worden herinnerd)", "contact:office",
         "Programmabureau, Gemeente Voorbeeldstad (office)"),
        ("Organisaties (de deadlines van hun acties)", "org:GEM", "Gemeente Voorbeeldstad (GEM)"),
        ("Organisaties (de deadlines van hun acties)", "org:GGD",
         "GGD Regio, afdeling Preventie (GGD)"),
        # A step's number once, not again in brackets (walk57c 12).
        ("Stappen", "step:1", "Stap 1: Inventariseren"),
        ("Stappen", "step:2", "Stap 2: Uitvoeren"),
        ("Overleggen (hun vergaderingen)", "body:regieteam",
         "Regieteam Gezonde Wijk – voorbeelddata (regieteam)"),
    ]  # fmt: skip
    assert "de vergaderdata van Regieteam Gezonde Wijk komen uit een voorbeeldplan" in visible(
        page.text
    )
    # The hint says what the brackets hold: the bare code (GGD), not org:GGD or step:1.
    hint = visible(page.text.split('id="bereik-uitleg"', 1)[1].split("</p>", 1)[0])
    assert "Tussen haakjes de code van de organisatie of de persoon in het plan" in hint
    assert "org:ID" not in hint and "step:N" not in hint
    csrf = page.text.split(f'name="{CSRF_FIELD}" value="', 1)[1].split('"', 1)[0]
    made = web.post("/agenda", data={CSRF_FIELD: csrf, "bereik": "step:2"})  # as a script types
    assert made.status_code == 200
    assert "Nieuw abonnement voor Stap 2: Uitvoeren (step:2)" in _tight(visible(made.text))
    wrong = web.post("/agenda", data={CSRF_FIELD: csrf, "bereik": "contact:weg"})
    assert wrong.status_code == 400
    assert "Bereik: er is geen contactpersoon ‘weg’ in het plan." in visible(wrong.text)
    assert "selected" not in wrong.text.split('<select id="bereik"', 1)[1].split("</select>")[0]
    # The plan file cannot be read: the subscriptions still show, the scope is typed.
    plan.write_text(text + "  - broken: [\n", "utf-8")
    broken = web.get("/agenda")
    assert broken.status_code == 200 and '<select id="bereik"' not in broken.text
    assert '<input type="text" id="bereik" name="bereik"' in broken.text


def test_the_picker_names_organisations_by_short_name(tmp_path: Path, migrated_url: str) -> None:
    """An organisation with a ``short_name`` is shown by it in the picker — beside a contact
    and as a scope of its own — and in the subscriptions table, as mails, packs and the answer
    pages show it; one without keeps its ``name`` (names35 1)."""
    from regie.services import sync

    app = synced_app(tmp_path, migrated_url)
    plan = app.settings.plan_path
    text = plan.read_text("utf-8")
    long_name = "    name: GGD Regio, afdeling Preventie\n"
    plan.write_text(text.replace(long_name, long_name + "    short_name: GGD-RP\n"), "utf-8")
    sync(app, None)
    with acting_as("p.bureau"):
        create_token(app, "org:GGD", None, NOW)
    web = _office(TestClient(create_app(app)), app)
    page = web.get("/agenda")
    options = {value: shown for _, value, shown in _options(page.text)}
    assert options["contact:kbakker"] == "K. Bakker, GGD-RP (kbakker)"
    assert options["org:GGD"] == "GGD-RP (GGD)"
    assert options["org:GEM"] == "Gemeente Voorbeeldstad (GEM)"
    assert "GGD Regio" not in visible(page.text)
    (row,) = _rows(page.text).values()
    assert row["Bereik"] == "GGD-RP (org:GGD)"


def test_a_description_has_a_length_limit_said_at_its_field(
    tmp_path: Path, migrated_url: str
) -> None:
    """A subscription's description is a name, not a document: past 200 characters the form
    says so at the field, keeps what was typed and makes nothing (walk57c 5: 600 characters
    without a space were taken, and pushed the page 6000 px wide)."""
    from regie.feeds import list_tokens
    from web.security import CSRF_FIELD

    app = synced_app(tmp_path, migrated_url)
    web = _office(TestClient(create_app(app)), app)
    page = web.get("/agenda")
    assert 'maxlength="200"' in page.text and "Hoogstens 200 tekens." in visible(page.text)
    csrf = page.text.split(f'name="{CSRF_FIELD}" value="', 1)[1].split('"', 1)[0]
    long = "x" * 201
    refused = web.post("/agenda", data={CSRF_FIELD: csrf, "bereik": "programme",
                                         "omschrijving": long})  # fmt: skip
    assert refused.status_code == 400
    text = visible(refused.text)
    message = "Omschrijving: hoogstens 200 tekens; deze is 201 tekens lang."
    assert text.count(message) == 2  # in the summary and at the field
    (field,) = re.findall(r'<input type="text" id="omschrijving"[^>]*>', refused.text)
    assert 'aria-describedby="omschrijving-uitleg omschrijving-fout"' in field
    assert 'aria-invalid="true"' in field and f'value="{long}"' in field
    assert list_tokens(app) == []
    made = web.post("/agenda", data={CSRF_FIELD: csrf, "bereik": "programme",
                                     "omschrijving": "x" * 200})  # fmt: skip
    assert made.status_code == 200 and len(list_tokens(app)) == 1


def test_a_description_is_one_line_and_without_hidden_characters(
    tmp_path: Path, migrated_url: str
) -> None:
    """walk57b 7: a crafted post's line break was stored and split the token's row; a
    direction-changing character is the field's error (never the 503 page a refused label
    reached once the command line checked it), a line break a space."""
    from regie.feeds import list_tokens
    from web.security import CSRF_FIELD

    app = synced_app(tmp_path, migrated_url)
    web = _office(TestClient(create_app(app)), app)
    page = web.get("/agenda")
    csrf = page.text.split(f'name="{CSRF_FIELD}" value="', 1)[1].split('"', 1)[0]
    refused = web.post("/agenda", data={CSRF_FIELD: csrf, "bereik": "programme",
                                         "omschrijving": "Voor \u202egaleb"})  # fmt: skip
    assert refused.status_code == 400
    message = (
        "Omschrijving: bevat het onzichtbare teken U+202E, dat de leesrichting omdraait; "
        "haal dat weg."
    )
    assert visible(refused.text).count(message) == 2
    assert list_tokens(app) == []
    made = web.post("/agenda", data={CSRF_FIELD: csrf, "bereik": "programme",
                                     "omschrijving": "Test\r\nX-Inject: 1"})  # fmt: skip
    assert made.status_code == 200
    assert [t["label"] for t in list_tokens(app)] == ["Test X-Inject: 1"]
