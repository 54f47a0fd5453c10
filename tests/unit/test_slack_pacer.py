"""The Slack pacer: the workspace rate and one post a second per conversation, no more."""

from __future__ import annotations

import itertools

import pytest

from notifications.slack import Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_posts_are_spaced_at_the_rate_with_a_small_margin() -> None:
    clock = Clock()
    pacer = Pacer(20, clock=clock, sleep=clock.sleep)
    times = []
    for n in range(5):
        pacer.wait(f"D{n}")
        times.append(clock.now)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert gaps == pytest.approx([1.05 / 20] * 4)


def test_a_busy_sender_never_waits() -> None:
    clock = Clock()
    pacer = Pacer(20, clock=clock, sleep=clock.sleep)
    for n in range(5):
        pacer.wait(f"D{n}")
        clock.now += 0.2  # slower than the rate anyway
    assert clock.slept == []


def test_a_second_post_in_one_conversation_waits_a_second_but_not_the_others() -> None:
    clock = Clock()
    pacer = Pacer(20, clock=clock, sleep=clock.sleep)
    pacer.wait("DA")
    start = clock.now
    pacer.wait("DB")  # another conversation: the next workspace slot
    assert clock.now - start == pytest.approx(1.05 / 20)
    pacer.wait("DA")  # the same one again: a second after its last post
    assert clock.now - start == pytest.approx(1.0)
