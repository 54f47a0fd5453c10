"""An owner's "Wijzigen" in Slack records which answer it changes (walk28 #12): the new update
``corrects`` the one it started from, so the item page ties the two; a new answer through the
same modal without "Wijzigen" corrects nothing."""

from __future__ import annotations

from datetime import timedelta

from starlette.testclient import TestClient

from regie.bootstrap import App
from regie.services import today
from store import Repository
from tests.fakes.slack_api import FakeSlack
from tests.integration.slack_overdue.desk import press, submit
from tests.integration.slack_overdue.test_slack_wijzigen import wijzigen


def chain(app: App) -> list[tuple[int | None, int | None]]:
    with app.session() as session:
        return [(u.id, u.corrects) for u in Repository(session, "wegen-test").status_updates()]


def test_wijzigen_records_the_answer_it_corrects(
    app: App, web: TestClient, slack: FakeSlack
) -> None:
    day = today(app) + timedelta(days=40)
    assert submit(web, press(web, slack, "new_date"), day.isoformat(), "Eerst") == (200, None)
    later = day + timedelta(days=7)
    assert submit(web, wijzigen(web, slack), later.isoformat(), "Later") == (200, None)
    (first, _), (second, corrects) = chain(app)
    assert corrects == first
    # "Wijzigen" once more corrects the correction: the chain's newest link.
    assert submit(web, wijzigen(web, slack), later.isoformat(), "Nog eens") == (200, None)
    assert chain(app)[-1][1] == second
