"""The summary `regie cycle` prints: every message of the send step accounted for."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from regie.bootstrap import App
from regie.cli.summaries import print_summary


def _result(**send: Any) -> dict[str, Any]:
    check = {
        "dry_run": False,
        "as_of": "2015-10-01",
        "synced": "unchanged",
        "counts": {"overdue": 2},
        "programme_rag": "red",
        "events": 0,
        "queued": 10,
    }
    sent = {"channel": "file", "sent": 9, "failed": 0, "dead": 0, "skipped": 0, "errors": []}
    return {"check": check, "send": {**sent, **send}}


def test_messages_not_sent_because_their_items_finished_are_counted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = cast(
        App,
        SimpleNamespace(
            settings=SimpleNamespace(outbox_dir=Path("/o"), notifier="file", secret_key="k" * 43)
        ),
    )
    print_summary(_result(skipped=1), "P", app)
    line = next(x for x in capsys.readouterr().out.splitlines() if "sent:" in x)
    assert line == (
        "  sent: 9 via file (/o), failed: 0, not sent: 1 (their items finished since they"
        " were queued)"
    )
    print_summary(_result(), "P", app)
    line = next(x for x in capsys.readouterr().out.splitlines() if "sent:" in x)
    assert line == "  sent: 9 via file (/o), failed: 0"


def test_a_cycle_without_a_secret_key_says_the_digests_carry_no_answer_links(
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = SimpleNamespace(outbox_dir=Path("/o"), notifier="file", secret_key=None)
    print_summary(_result(), "P", cast(App, SimpleNamespace(settings=settings)))
    out = capsys.readouterr().out
    assert "  answer links: off (REGIE_SECRET_KEY is not set): owners are asked to reply" in out
    settings.secret_key = "k" * 43
    print_summary(_result(), "P", cast(App, SimpleNamespace(settings=settings)))
    assert "answer links" not in capsys.readouterr().out


@pytest.mark.parametrize("channel", ["email", "slack", "slack,email"])
def test_a_channel_is_named_once(capsys: pytest.CaptureFixture[str], channel: str) -> None:
    """Not `sent: 6 via email (email)`: only the file outbox adds where its files are."""
    settings = SimpleNamespace(outbox_dir=Path("/o"), notifier=channel, secret_key="k" * 43)
    print_summary(
        _result(channel=channel, sent=6), "P", cast(App, SimpleNamespace(settings=settings))
    )
    line = next(x for x in capsys.readouterr().out.splitlines() if "sent:" in x)
    assert line == f"  sent: 6 via {channel}, failed: 0"
