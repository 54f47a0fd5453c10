"""The seed plan's programme office (`programmabureau`) belongs to IenM, which owns many items
and has a contact of its own (walk49 finding 4): a cycle prompts IenM's contact about them,
not the office, and a reminder to the office (as IenM's only contact) does not tell it that a
reply reaches the office. `regie cycle` in process; SQLite and PostgreSQL (``database_url``)."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

from store import Repository
from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN
from tests.integration.test_cycle import make_app

DAY = "2015-09-09"  # the first prompt about IenM's 1.1.1 (Q3-2015); no status round that day


def _cycle(tmp_path: Path, database_url: str, plan: Path) -> dict[str, list[str]]:
    """Run the day's cycle on ``plan``: per recipient, the items of its reminder digests."""
    app = make_app(tmp_path, database_url)
    env = {
        "REGIE_HOME": str(app.settings.home),
        "REGIE_PLAN": str(plan),
        "REGIE_DATABASE_URL": app.settings.database_url,
    }
    ran = regie("cycle", "--as-of", DAY, env=env)
    assert ran.code == 0, ran.err
    with app.session() as session:
        outbox = Repository(session, "mvi-2015-2020").outbox()
    digests: dict[str, list[str]] = {}
    for m in outbox:
        if m.kind == "reminder_digest":
            digests.setdefault(m.recipient, []).extend(i["id"] for i in m.payload["items"])
    return digests


def test_the_office_gets_no_reminder_for_its_organisation_s_items(
    tmp_path: Path, database_url: str
) -> None:
    digests = _cycle(tmp_path, database_url, SEED_PLAN)
    assert "1.1.1" in digests["ienm-voorbeeld"]
    # Every owner in the seed plan has a contact of its own: the office is asked about nothing.
    assert "programmabureau" not in digests


def test_the_office_as_its_organisation_s_only_contact_is_asked_without_the_reply_line(
    tmp_path: Path, database_url: str
) -> None:
    text = SEED_PLAN.read_text(encoding="utf-8")
    ienm = text[text.index("  - id: ienm-voorbeeld") : text.index("  - id: stas-ienm-voorbeeld")]
    plan = tmp_path / "actions.yaml"
    plan.write_text(text.replace(ienm, ""), encoding="utf-8")
    digests = _cycle(tmp_path, database_url, plan)
    assert "1.1.1" in digests["programmabureau"]
    (eml,) = (tmp_path / "home" / "outbox").glob("reminder_*programmabureau*.eml")
    mail = message_from_bytes(eml.read_bytes(), policy=policy.default)
    for part in mail.walk():
        if part.get_content_maintype() != "text":
            continue
        flat = " ".join(part.get_content().split())
        assert "vragen we u om een update" in flat
        assert "Antwoordt u op deze e-mail" not in flat
        assert "Dat kan door op dit bericht te antwoorden" not in flat
    # An owner's digest keeps it (a reply reaches the office: the mails' Reply-To).
    (owner,) = (tmp_path / "home" / "outbox").glob("reminder_*pianoo-voorbeeld*.eml")
    said = message_from_bytes(owner.read_bytes(), policy=policy.default)
    body = said.get_body(preferencelist=("plain",))
    assert body is not None
    flat = " ".join(body.get_content().split())
    assert "Dat kan door op dit bericht te antwoorden" in flat or "Antwoordt u op deze" in flat
