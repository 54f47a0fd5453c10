"""review57 5 (fix57m): a body none of whose contacts is in the plan yet (no pack can go out)
has its packs made by hand. Such a pack counts for the decision list as it does for part 3
(*sinds de vorige vergadering*, agenda layout 22): October's list starts at April's meeting,
whose pack was made by hand before it, not at July's. Without any pack made by hand the list
starts at the previous meeting, as before. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.prepare import body_contacts, pack_decisions_from
from tests.integration.mail_setup import Clock, sender_clock
from tests.integration.reports_scenario import scenario_app
from tests.integration.test_agenda_by_hand import _archived_packs, _october_by_hand

__all__ = ["sender_clock"]  # the fixture, used by name

MEMBERS = (
    "members: [IenM, EZ, BZ, SZW, BZK, medeoverheden, bedrijfsleven]\n"
    '    source: "H3 Stap 4; Bijlage 2 actie 4.3"'
)


@pytest.fixture
def app(tmp_path: Path, database_url: str, documents_made_once: None) -> App:
    """The report scenario with a stuurgroep none of whose members has a contact in the plan,
    and no programme office among the contacts."""
    app = scenario_app(tmp_path / "home", database_url)
    plan = app.settings.plan_path
    text = plan.read_text(encoding="utf-8")
    assert text.count(MEMBERS) == 1 and text.count("    programme_office: true\n") == 1
    text = text.replace(MEMBERS, MEMBERS.replace("IenM, EZ, BZ, SZW, BZK, ", ""))
    plan.write_text(text.replace("    programme_office: true\n", ""), encoding="utf-8")
    loaded = app.load_plan()
    (body,) = [b for b in loaded.governance if b.id == "stuurgroep"]
    assert not body_contacts(loaded, body)
    return app


def test_a_pack_made_by_hand_counts_for_a_body_without_contacts(
    app: App, sender_clock: Clock
) -> None:
    pack, err = _october_by_hand(app, sender_clock)
    assert "decision list from 2016-04-12" in err, err
    decisions = pack.split("2. Besluitenlijst")[1].split("3. Voortgang")[0]
    assert "De lijst begint bij de vergadering van 12 april 2016" in decisions
    assert "Wetsvoorstel aanhouden" in decisions  # decided at April's meeting
    # Part 3 catches up from the same April pack.
    assert "het agendapakket voor de vergadering van 12 april 2016 stond" in pack
    (parameters,) = _archived_packs(app, "2016-10-11")
    assert parameters["decisions_from"] == "2016-04-12"


def test_without_a_pack_made_by_hand_the_list_starts_at_the_previous_meeting(
    app: App,
) -> None:
    from store.states import record_assessed_day

    plan = app.load_plan()
    with app.session() as session, session.begin():
        record_assessed_day(
            session, plan.programme.id, date(2016, 1, 4), datetime(2016, 1, 4, 18, tzinfo=UTC)
        )
    (body,) = [b for b in plan.governance if b.id == "stuurgroep"]
    assert pack_decisions_from(app, plan, body, date(2016, 10, 11)) is None
