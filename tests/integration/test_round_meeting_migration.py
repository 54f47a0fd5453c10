"""Migration 0031: a status round records the meeting it prepares (``meeting_on``) and when it
closed (``closed_at``). A round closed before it gets the instant its summary was queued (what
was read as its closing instant until then); one closed without a summary, or still open, gets
none; no round gets a meeting (review7 1 and 6). The downgrade drops both, rows kept."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from store import downgrade, make_engine, upgrade
from store.models import OutboxRow, ProgrammeRow

NOW = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)
SUMMARY_AT = datetime(2025, 6, 13, 7, 30, 15, 123456, tzinfo=UTC)
ROUND = (
    "INSERT INTO status_rounds (id, programme_id, body, answer_by, started_on, started_at,"
    " closed_on) VALUES (:id, 'p', 'stuurgroep', :by, :on, :at, :closed)"
)


def _queued(key: str, at: datetime) -> dict[str, object]:
    return {
        "programme_id": "p", "key": key, "kind": key.rpartition(":")[2], "recipient": "office",
        "recipient_name": "P. Bureau", "subject": "s", "body_text": "t", "payload": {},
        "status": "sent", "created_at": at,
    }  # fmt: skip


def _columns(engine: sa.Engine) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns("status_rounds")}


def test_0031_fills_the_closing_instant_from_the_summary_and_goes_back(database_url: str) -> None:
    from store.answers import rounds

    upgrade(database_url, "0030")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(ProgrammeRow).values(id="p", title="P", created_at=NOW, updated_at=NOW)
        )
        for id_, by, closed in (
            (1, date(2025, 6, 13), date(2025, 6, 13)),  # closed with a summary
            (2, date(2025, 6, 20), date(2025, 6, 20)),  # closed without one (no office)
            (3, date(2025, 6, 27), None),  # still open
        ):
            values = {"id": id_, "by": by, "on": date(2025, 6, 2), "at": NOW, "closed": closed}
            conn.execute(sa.text(ROUND), values)
        conn.execute(
            sa.insert(OutboxRow),
            [
                _queued("round:1:office:summary", SUMMARY_AT),
                _queued("round:1:bureau2:summary", datetime(2025, 6, 13, 9, tzinfo=UTC)),
                _queued("round:1:anna:request", NOW),
                _queued("round:12:office:summary", datetime(2025, 6, 1, tzinfo=UTC)),  # not 1's
                _queued("round:2:anna:request", NOW),
                _queued("round:3:anna:request", NOW),
            ],
        )
    engine.dispose()

    upgrade(database_url)
    with engine.connect() as conn:
        got = {r.id: (r.closed_at, r.meeting_on) for r in rounds(_session(conn), "p")}
    assert got == {1: (SUMMARY_AT, None), 2: (None, None), 3: (None, None)}
    engine.dispose()

    downgrade(database_url, "0030")
    assert not {"meeting_on", "closed_at"} & _columns(engine)
    with engine.connect() as conn:
        kept = conn.execute(sa.text("SELECT id, closed_on FROM status_rounds ORDER BY id")).all()
    assert [r[0] for r in kept] == [1, 2, 3]
    engine.dispose()
    upgrade(database_url)  # and up again
    assert {"meeting_on", "closed_at"} <= _columns(engine)
    engine.dispose()


def _session(conn: sa.Connection) -> sa.orm.Session:
    from sqlalchemy.orm import Session

    return Session(bind=conn)
