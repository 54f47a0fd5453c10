"""Which programme's message a bounce returns (regie.bounces._ours) and reading a mailbox
whose messages are removed while it is read (regie.bounce_reports.read_paths)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from regie.bounce_reports import read_paths
from regie.bounces import _ours
from store.bounces import SentMessage


def _sent(programme: str, email: str, message_id: str) -> SentMessage:
    return SentMessage(programme, "report-due:vgr:2027-03-31:po", "po", "Bureau", email, False,
                       message_id)  # fmt: skip


def test_one_sender_domain_and_one_address_in_two_programmes_is_recorded_by_each() -> None:
    a = _sent("prog-a", "office@minbzk.nl", "<abc@minbzk.nl>")
    b = _sent("prog-b", "office@minbzk.nl", "<abc@minbzk.nl>")
    assert _ours([a, b], "prog-a", "office@minbzk.nl", "<abc@minbzk.nl>") == a
    assert _ours([a, b], "prog-b", "office@minbzk.nl", "<abc@minbzk.nl>") == b


def test_without_the_address_two_programmes_are_not_guessed_between() -> None:
    a = _sent("prog-a", "office@minbzk.nl", "<abc@minbzk.nl>")
    b = _sent("prog-b", "bureau@minbzk.nl", "<abc@minbzk.nl>")
    told = _ours([a, b], "prog-a", None, "<abc@minbzk.nl>")
    assert isinstance(told, str) and "several programmes (prog-a, prog-b)" in told


def test_the_message_id_decides_before_the_address() -> None:
    a = _sent("prog-a", "office@minbzk.nl", "<abc@a.example>")
    b = _sent("prog-b", "office@minbzk.nl", "<abc@b.example>")
    told = _ours([a, b], "prog-a", "office@minbzk.nl", "<abc@b.example>")
    assert isinstance(told, str) and "programme prog-b, not this one" in told


def test_an_eml_removed_while_the_directory_is_read_is_skipped(tmp_path: Path) -> None:
    for name in ("a.eml", "b.eml", "c.eml"):
        (tmp_path / name).write_bytes(f"Subject: {name}\n\nx\n".encode())
    seen: list[str] = []
    messages: Iterator[tuple[str, bytes]] = read_paths([tmp_path])
    for source, _raw in messages:
        seen.append(Path(source).name)
        if source.endswith("a.eml"):
            (tmp_path / "b.eml").unlink()  # a mail client moves it away meanwhile
    assert seen == ["a.eml", "c.eml"]
