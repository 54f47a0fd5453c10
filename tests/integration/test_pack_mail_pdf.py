"""The agenda pack's mail carries the PDF `regie report agenda --format pdf` makes, and its
annex (walk32a 8): archived with the pack, referred to from the outbox row by archive id and
hash, read at send time; a file not there or not the one queued fails the message (kept,
retried by the outbox's rules), never sent without it or with another."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.cycle import send_reminders
from regie.prepare import PACK_KIND, prepare_meetings
from regie.reports import archived_report, reproduce
from store.reports_repo import ReportsRepository
from tests.fakes.smtp import SmtpServer
from tests.integration.mail_setup import mail_env, outbox_rows

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")

PACK_DAY = date(2016, 4, 5)  # five working days before the stuurgroep's meeting of 12 April 2016


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


def _app(tmp_path: Path, url: str, smtp: SmtpServer) -> App:
    return bootstrap(load_settings(mail_env(tmp_path, url, smtp)))


def test_the_pack_mail_carries_the_archived_pdf_and_its_annex_once(
    tmp_path: Path, migrated_url: str, smtp: SmtpServer
) -> None:
    app = _app(tmp_path, migrated_url, smtp)
    queued = prepare_meetings(app, PACK_DAY).packs
    assert queued
    rows = {k: r for k, r in outbox_rows(app).items() if r.kind == PACK_KIND}
    # A reference on the row, not the bytes: the archive's id and hash of each file.
    refs = next(iter(rows.values())).payload["attachments"]
    assert [(r["name"], r["type"]) for r in refs] == [
        ("agenda-stuurgroep-2016-04-12.pdf", "application/pdf"),
        ("agenda-stuurgroep-2016-04-12-bijlage.html", "text/html"),
    ]
    assert all(set(r) == {"name", "type", "archive", "sha256"} for r in refs)
    pdf = archived_report(app, refs[0]["archive"])
    annex = archived_report(app, refs[1]["archive"])
    assert (pdf.kind, pdf.format, annex.kind) == ("agenda", "pdf", "agenda-bijlage")
    assert pdf.content is not None and pdf.content.startswith(b"%PDF")
    assert pdf.sha256 == refs[0]["sha256"]
    assert pdf.parameters["meeting"] == "2016-04-12"
    # Archived as any pack: `regie report reproduce` makes both again, byte for byte.
    assert reproduce(app, pdf.id).matches and reproduce(app, annex.id).matches

    report = send_reminders(app)
    assert not report.failed and set(queued) <= set(report.sent)
    mails = [m.mail for m in smtp.received if m.mail["X-Regie-Kind"] == PACK_KIND]
    assert {str(m["X-Regie-Key"]) for m in mails} == set(queued)
    for mail in mails:
        assert mail.get_content_type() == "multipart/mixed"
        files = {p.get_filename(): p for p in mail.iter_attachments()}
        assert set(files) == {r["name"] for r in refs}
        sent_pdf = files["agenda-stuurgroep-2016-04-12.pdf"]
        assert sent_pdf.get_content_type() == "application/pdf"
        assert sent_pdf.get_payload(decode=True) == pdf.content  # the archived bytes
        sent_annex = files["agenda-stuurgroep-2016-04-12-bijlage.html"]
        assert sent_annex.get_payload(decode=True) == annex.content
        assert sent_annex.get_content_charset() == "utf-8"
        # The body as before: the text and the HTML pack.
        assert mail.get_body(("plain",)) is not None and mail.get_body(("html",)) is not None

    # A rerun (the daily run again, the sender again) sends nothing twice, archives nothing new.
    with app.session() as session:
        archived_before = len(ReportsRepository(session, app.programme_id()).archived())
    count = len(smtp.received)
    assert prepare_meetings(app, PACK_DAY).packs == []
    assert send_reminders(app).sent == []
    assert len(smtp.received) == count
    with app.session() as session:
        assert len(ReportsRepository(session, app.programme_id()).archived()) == archived_before


def _set_refs(app: App, key: str, change: dict[str, object]) -> None:
    """The row's first attachment reference changed (as if the archive had moved under it)."""
    import sqlalchemy as sa

    from store.models import OutboxRow

    with app.session() as session, session.begin():
        row = session.scalars(sa.select(OutboxRow).where(OutboxRow.key == key)).one()
        payload = dict(row.payload)
        refs = [dict(r) for r in payload["attachments"]]
        refs[0].update(change)
        payload["attachments"] = refs
        row.payload = payload


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"archive": 999999}, "is missing from the report archive"),
        ({"sha256": hashlib.sha256(b"another file").hexdigest()}, "does not match the sha256"),
    ],
)
def test_a_pack_whose_pdf_is_not_in_the_archive_is_kept_not_sent(
    tmp_path: Path,
    migrated_url: str,
    smtp: SmtpServer,
    change: dict[str, object],
    said: str,
    documents_made_once: None,  # the reference is what is checked here, not the PDF
) -> None:
    app = _app(tmp_path, migrated_url, smtp)
    queued = prepare_meetings(app, PACK_DAY).packs
    broken = queued[0]
    _set_refs(app, broken, change)
    report = send_reminders(app)
    reasons = dict(report.failed)
    assert list(reasons) == [broken]
    # One clear line: which file, which archived report, what is wrong.
    assert said in reasons[broken] and "agenda-stuurgroep-2016-04-12.pdf" in reasons[broken]
    assert "\n" not in reasons[broken]
    row = outbox_rows(app)[broken]
    assert row.status == "failed" and row.attempts == 1  # kept: retried by the outbox's rules
    assert broken not in {str(m.mail["X-Regie-Key"]) for m in smtp.received}
    assert set(queued) - {broken} <= set(report.sent)  # the others went
