"""*Sinds de vorige vergadering* names an organisation's change of contact person (a person
replaced within the same organisation, not only owner changes between organisations), in
packs of layout 3; a pack of layout 2 is made again without it. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.reports import agenda_pack, render_agenda
from tests.integration.migrated_template import shared_templates
from tests.integration.reports_scenario import make_app
from tests.integration.test_agenda_since import AS_OF, EDITED, FIRST_SYNC, MEETING, _edit, _sync

OLD = "C. Voorbeeld (EZ, fictief)"
NEW = "F. Nieuw (EZ, fictief)"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    app = make_app(tmp_path / "home", database_url)
    _sync(app, FIRST_SYNC)
    # EZ's contact person is replaced on 19 December 2016 (after the previous meeting).
    _edit(app, (f"  - id: ez-voorbeeld\n    name: {OLD}\n", f"  - id: ez-nieuw\n    name: {NEW}\n"))
    _sync(app, EDITED)
    return app


def test_a_new_contact_person_of_the_same_organisation_is_listed(app: App) -> None:
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    assert pack.since_last is not None
    (change,) = [e for e in pack.since_last.entries if e.kind == "contact"]
    got = (change.item_id, change.before, change.after, change.on)
    assert got == ("EZ", OLD, NEW, date(2016, 12, 19))
    assert pack.since_last.counts["contact"] == 1
    md = render_agenda(pack, "md").decode()
    section = md.split("### Sinds de vorige vergadering")[1]
    assert f"contactpersoon gewijzigd: {OLD} → {NEW} (vastgelegd op 19-12-2016)" in section
    assert "1 contactpersoon gewijzigd" in section
    html = render_agenda(pack, "html").decode()
    assert f"contactpersoon gewijzigd: {OLD} → {NEW}" in html
    # A pack archived with layout 2 is made again as it was: without the contact change.
    for layout in (1, 2):
        assert "contactpersoon" not in render_agenda(pack, "md", layout=layout).decode()


def test_a_change_before_the_previous_meeting_is_not_listed_again(app: App) -> None:
    later = agenda_pack(app, "stuurgroep", date(2017, 4, 11), date(2017, 4, 4))
    assert later.since_last is not None
    assert [e for e in later.since_last.entries if e.kind == "contact"] == []
