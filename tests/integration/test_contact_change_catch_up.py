"""Agenda layout 23 (walk58a 5): a contact person replaced within an organisation is listed
under *Sinds de vorige vergadering* by the moment the plan recorded it, as the items' plan
edits of the same sync are. On the example plan the stuurgroep meets on 9 July and 8 October
2026; the office makes July's pack by hand on 2 July (09:00 UTC). The same afternoon one sync
records GGD's new contact person and 1.1.2's new date. October's pack lists both, marked
*nog niet in het vorige agendapakket*. Before (layout 22, made again so) a contact change counted
from the day after that pack's day only: the one of 2 July reached no pack, while 1.1.2's date
did (a real timeline; a simulation, whose packs are archived by the wall clock, lost every one
recorded before its meeting). SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.integration.layout_golden import made_at
from tests.integration.mail_setup import Clock
from tests.integration.test_catch_up_hand_pack import JULY, JULY_PACK, MARK, OCTOBER, OCTOBER_PACK
from tests.integration.test_catch_up_hand_pack import recorded as recorded

AFTER_PACK = datetime.combine(JULY_PACK, time(15), UTC)  # the pack was archived at 09:00
OLD, NEW = "Adviseur gezondheid", "Arts gezondheidszorg"


@pytest.fixture
def app(recorded: App, sender_clock: Clock) -> App:
    """July's pack made by hand on 2 July; the same afternoon GGD's contact replaced and
    1.1.2 moved in one sync."""
    from regie.reports import agenda
    from store import sync_plan

    sender_clock.now = datetime.combine(JULY_PACK, time(9), UTC)
    assert agenda(recorded, "stuurgroep", JULY, JULY_PACK, "md").archive_id is not None
    path = Path(str(recorded.settings.plan_path))
    text = path.read_text(encoding="utf-8")
    for old, new in (
        (f"  - id: ggd-advies\n    name: {OLD}\n", f"  - id: ggd-advies2\n    name: {NEW}\n"),
        ("            gereed: Q1-2027\n", "            gereed: Q2-2027\n"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    plan = recorded.load_plan()
    with recorded.session() as session, session.begin():
        sync_plan(session, plan, now=AFTER_PACK, plan_path=str(plan.path))
    sender_clock.now = datetime.combine(OCTOBER_PACK, time(9), UTC)
    return recorded


def _since(app: App, monkeypatch: pytest.MonkeyPatch, layout: int) -> str:
    """October's *Sinds de vorige vergadering* at ``layout``, archived and made again."""
    from regie.reports import agenda

    made = made_at(app, monkeypatch, "agenda", layout,
                   lambda: agenda(app, "stuurgroep", OCTOBER, OCTOBER_PACK, "md"))  # fmt: skip
    return made.split("Sinds de vorige vergadering")[-1]


def test_a_contact_change_after_the_latest_pack_reaches_the_next_one(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    since = _since(app, monkeypatch, 23)
    moved = (
        "| 1.1.2 | Sensoren geplaatst | datum gewijzigd in het plan zonder besluit: Q1-2027 → "
        f"Q2-2027 (vastgelegd op 02-07-2026; {MARK[1:]} |"
    )
    contact = (
        f"| GGD | GGD Voorbeeldregio | contactpersoon gewijzigd: {OLD} → {NEW} (vastgelegd op "
        f"02-07-2026; {MARK[1:]} |"
    )  # both parts of the sync alike
    assert moved in since and contact in since, since
    assert "1 datum gewijzigd, 1 contactpersoon gewijzigd" in since
    # Layout 22, as built: the item's date, not the contact change of the same sync.
    old = _since(app, monkeypatch, 22)
    assert moved in old and "contactpersoon" not in old


def test_a_contact_change_the_latest_pack_had_is_not_listed_again(
    app: App, monkeypatch: pytest.MonkeyPatch, sender_clock: Clock
) -> None:
    """A pack made by hand after the change (2 July, 16:00) had it: the next one has not."""
    from regie.reports import agenda

    sender_clock.now = datetime.combine(JULY_PACK, time(16), UTC)
    assert agenda(app, "stuurgroep", JULY, date(2026, 7, 2), "md").archive_id is not None
    sender_clock.now = datetime.combine(OCTOBER_PACK, time(9), UTC)
    since = _since(app, monkeypatch, 23)
    assert "contactpersoon" not in since
