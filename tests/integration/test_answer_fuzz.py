"""100 fuzzed payloads per channel (Slack JSON, form posts, CSV rows, links): none stores an
answer, none gives a 500."""

from __future__ import annotations

import json
import random
import string
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from regie.answer_import import import_updates
from regie.bootstrap import App
from regie.errors import RegieError
from store import Repository
from tests.integration.link_setup import FIRST_DAY, link_app, queue_and_send
from tests.integration.slack_requests import SIGNING_SECRET, button, sign, signed, submission
from web.app import create_app

N = 100
JUNK = [
    "", " ", "\x00", "é", "🚧", "=1+1", "+31", "-1", "@x", "' OR 1=1 --", "<script>", "%00",
    "9999-99-99", "2025-02-30", "0001-01-01", "2016-W10-1", "20160301", "x" * 3000, "null",
    "on_track ", "ON_TRACK", "gereed", "done\n", "\u202e", "../../etc/passwd", "{}", "[]",
]  # fmt: skip


def junk(rng: random.Random) -> Any:
    choice = rng.random()
    if choice < 0.5:
        return rng.choice(JUNK)
    if choice < 0.7:
        return "".join(rng.choice(string.printable) for _ in range(rng.randint(0, 40)))
    return rng.choice([None, 0, -1, 1.5, True, [], {}, [1, "a"], {"a": {"b": None}}])


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    app = link_app(migrated_url, tmp_path)
    app.settings = replace(app.settings, slack_signing_secret=SIGNING_SECRET)
    return app


def no_answers(app: App) -> None:
    with app.session() as session:
        assert Repository(session, "wegen-test").status_updates() == []


def mutate(rng: random.Random, value: Any, depth: int = 0) -> Any:
    """Replace a random part of a JSON value by junk (keeps most of the shape)."""
    if isinstance(value, dict) and value and depth < 6:
        key = rng.choice(list(value))
        out = dict(value)
        if rng.random() < 0.15:
            del out[key]
        else:
            out[key] = mutate(rng, value[key], depth + 1)
        return out
    if isinstance(value, list) and value and depth < 6:
        i = rng.randrange(len(value))
        return [mutate(rng, v, depth + 1) if j == i else v for j, v in enumerate(value)]
    return junk(rng)


def test_fuzzed_slack_payloads(app: App) -> None:
    queue_and_send(app, FIRST_DAY)  # a plan in the database, as in production
    web = TestClient(create_app(app), raise_server_exceptions=False)
    rng = random.Random(10)
    bases = [
        # A stranger's button, anna's button on an item id that is no item, a modal without a
        # status: each stays unstored whatever else is mutated.
        button("U0STRANGER", "1.1.1", "done"),
        button("U0ANNA", "9.9.9", "on_track"),
        submission("U0ANNA", "1.1.1", None, note="x"),
    ]
    codes = []
    for n in range(N):
        payload = mutate(rng, rng.choice(bases)) if n % 10 else junk(rng)
        if n % 7 == 0:
            body, headers = sign(quote(json.dumps(payload)).encode())  # no payload= field
        else:
            body, headers = signed(payload)
        response = web.post("/slack/interactivity", content=body, headers=headers)
        codes.append(response.status_code)
        assert response.status_code < 500, (payload, response.text)
    assert set(codes) <= {200, 400, 409}  # 409: the same junk twice in one second (replay)
    no_answers(app)


def test_fuzzed_form_posts(app: App) -> None:
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app), raise_server_exceptions=False)
    page = web.get(f"/antwoord/{token}").text
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    rng = random.Random(20)
    fields = ["status", "note", "forecast", "completed_on", "csrf_token", "extra"]
    for n in range(N):
        form: dict[str, str] = {}
        for field in rng.sample(fields, rng.randint(0, len(fields))):
            form[field] = str(junk(rng))
        if n % 2:
            form["csrf_token"] = csrf  # the right token: only the content can be wrong
        if form.get("status") in {"on_track", "at_risk", "done"}:
            form["status"] += "?"
        response = web.post(f"/antwoord/{token}", data=form)
        assert response.status_code < 500, (form, response.text)
        assert response.status_code in (400, 404, 422), (form, response.status_code)
    raw = web.post(
        f"/antwoord/{token}",
        content=b"--x\r\nContent-Disposition: form-data; name=status\r\n\r\n\xff\r\n",
        headers={"content-type": "multipart/form-data; boundary=y"},
    )
    assert raw.status_code < 500
    no_answers(app)


def test_fuzzed_links(app: App) -> None:
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app), raise_server_exceptions=False)
    rng = random.Random(30)
    alphabet = string.ascii_letters + string.digits + "-_.%~"
    for n in range(N):
        if n % 2:
            chars = list(token)
            chars[rng.randrange(len(chars))] = rng.choice(alphabet)
            bad = "".join(chars)
        else:
            bad = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120)))
        if bad == token:
            continue
        for response in (
            web.get(f"/antwoord/{bad}"),
            web.post(f"/antwoord/{bad}", data={"status": "done"}),
        ):
            assert response.status_code < 500, (bad, response.text)
            assert response.status_code in (404, 405), bad
    no_answers(app)


def test_fuzzed_csv_rows(app: App, tmp_path: Path) -> None:
    rng = random.Random(40)
    header = ["item", "status", "forecast", "completed_on", "note", "contact"]
    path = tmp_path / "fuzz.csv"
    for _ in range(N):
        good = ["1.1.1", "on_track", "", "", "prima", "anna"]
        bad = [str(junk(rng)).replace("\x00", "") for _ in header]
        bad[1] = bad[1] + "?"  # never a valid status
        rows = [good, bad] if rng.random() < 0.5 else [bad, good]
        delimiter = rng.choice([",", ";"])
        text = (
            delimiter.join(header)
            + "\n"
            + "\n".join(
                delimiter.join(json.dumps(c) if rng.random() < 0.5 else c for c in row)
                for row in rows
            )
        )
        path.write_text(text, encoding="utf-8")
        with pytest.raises(RegieError) as refused:
            import_updates(app, path, date(2025, 6, 2))
        assert all(line.startswith(str(path)) for line in refused.value.lines)
    no_answers(app)


def test_an_oversized_answer_form_is_refused_in_dutch(app: App) -> None:
    """The answer form and the office's forms read a form through one helper (web.forms):
    a body over its limit is the answer page's Dutch 413, nothing stored."""
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app), raise_server_exceptions=False)
    big = web.post(
        f"/antwoord/{token}",
        content=b"note=" + b"a" * 30_000,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert big.status_code == 413
    assert "Het antwoord is niet volledig of niet geldig" in big.text
    no_answers(app)
