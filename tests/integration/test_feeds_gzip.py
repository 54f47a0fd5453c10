"""A feed is gzip-compressed when the client accepts it (calendar review, finding 10), as
another representation: its own ETag, ``Vary: Accept-Encoding``; either tag is answered 304
while the calendar is unchanged, on the full path and from the 304 memory. SQLite and
PostgreSQL."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

from starlette.testclient import TestClient

from regie.feeds import create_token
from tests.integration.feed_clients import ical_js, icalendar_events, synced_app
from web.feeds import accepts_gzip

NOW = datetime(2016, 1, 11, 9, 0, tzinfo=UTC)


def test_accept_encoding_is_read_as_rfc_9110_says() -> None:
    assert accepts_gzip("gzip") and accepts_gzip("br, gzip;q=0.5") and accepts_gzip("GZIP")
    assert accepts_gzip("deflate, x-gzip")
    assert not accepts_gzip(None) and not accepts_gzip("") and not accepts_gzip("identity")
    assert not accepts_gzip("gzip;q=0") and not accepts_gzip("gzip; q=0.0, br")


def test_the_feed_is_gzipped_under_its_own_etag(tmp_path: Path, migrated_url: str) -> None:
    from web.app import create_app

    app = synced_app(tmp_path, migrated_url)
    token = create_token(app, "programme", "test", NOW)
    client = TestClient(create_app(app))
    path = f"/calendar/{token.token}.ics"

    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    assert plain.headers["vary"] == "Accept-Encoding"
    packed = client.stream("GET", path, headers={"Accept-Encoding": "gzip"})
    with packed as response:
        raw = b"".join(response.iter_raw())
        headers = response.headers
    assert headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
    assert len(raw) * 3 < len(plain.content)  # much smaller
    assert gzip.decompress(raw) == plain.content  # the same calendar once decoded
    assert ical_js(gzip.decompress(raw))["events"] and icalendar_events(gzip.decompress(raw))
    etag, plain_etag = headers["etag"], plain.headers["etag"]
    assert etag != plain_etag and etag.startswith('"') and not etag.startswith("W/")
    for _ in range(3):  # the full path, then the 304 memory
        again = client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
        assert (again.status_code, again.headers["etag"]) == (304, etag)
        other = client.get(path, headers={"Accept-Encoding": "identity", "If-None-Match": etag})
        assert (other.status_code, other.headers["etag"]) == (304, plain_etag)
    assert client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": plain_etag}
                      ).status_code == 304  # fmt: skip
