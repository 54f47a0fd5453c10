"""Secrets too easy to guess are refused (security review, finding 11): REGIE_SECRET_KEY with
few different characters, a repeated part or a run; passwords that are common, repetitive or
contain the user name. Random keys always pass."""

from __future__ import annotations

import secrets

import pytest

from regie.config import load_settings
from regie.errors import InvalidInput
from regie.strength import KEY_HINT, key_problem, password_problem


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("a" * 32, "uses only 1 different character"),
        ("changeme-changeme-changeme-changeme", "uses only 8 different characters"),
        ("Sup3rGeheim!" * 3, "repeats a shorter part"),
        ("0123456789abcdefghijklmnopqrstuvwxyz", "is mostly a run of neighbouring characters"),
        ("sec-test-key-0123456789abcdefghijklmnopqrstuvwxyz", "is mostly a run"),
    ],
)
def test_a_guessable_key_is_refused_in_one_line(key: str, why: str, tmp_path: object) -> None:
    settings = load_settings({"REGIE_HOME": str(tmp_path), "REGIE_SECRET_KEY": key})
    with pytest.raises(InvalidInput) as refused:
        settings.require_secret_key()
    (line,) = refused.value.lines
    assert line.startswith(f"REGIE_SECRET_KEY: too easy to guess: it {why}")
    assert line.endswith(f"; {KEY_HINT}") and key not in line


def test_random_keys_pass() -> None:
    for _ in range(2000):
        assert key_problem(secrets.token_urlsafe(32)) is None
        assert key_problem(secrets.token_urlsafe(24)) is None
    assert sum(key_problem(secrets.token_hex(16)) is not None for _ in range(2000)) <= 1


@pytest.mark.parametrize(
    ("user", "password", "why"),
    [
        ("weak4", "aaaaaaaaaaaa", "uses only 1 different character"),
        ("weak5", "weak5weak5weak5", "must not contain the user name"),
        ("anna", "xyzxyzxyzxyzxyz", "uses only 3 different characters"),
        ("anna", "Ab1!cD2@Ab1!cD2@", "repeats a shorter part"),
        ("anna", "Wachtwoord2026!", "is one of the most common passwords"),
        ("anna", "qwertyuiop12", "is one of the most common passwords"),
        ("anna", "123456789012", "is mostly a run"),
        ("pbureau", "PBureau-2026-sterk", "must not contain the user name"),
    ],
)
def test_a_guessable_password_is_named(user: str, password: str, why: str) -> None:
    problem = password_problem(user, password)
    assert problem is not None and problem.startswith(why) and password not in problem


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "Zomer2026-Sterk!",
        "een lang wachtwoord 123",
        "a long password",
    ],
)
def test_passphrases_pass(password: str) -> None:
    assert password_problem("office", password) is None
