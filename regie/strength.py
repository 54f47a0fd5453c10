"""Whether a secret is too easy to guess: ``REGIE_SECRET_KEY`` and the office's passwords.

Length alone lets ``aaaaaaaaaaaa`` and ``changeme-changeme-changeme-changeme`` through. These
checks refuse what a guesser tries first: few different characters, a part repeated, a run
(``abcdef``, ``123456``), a well-known password (a small list kept here: no network), a password
that contains its user's name. A random key (``secrets.token_urlsafe(32)``, ``token_hex(16)``)
passes every time; so does a passphrase of a few unrelated words.
"""

from __future__ import annotations

import itertools
import string

#: ``python3 -c '…'`` prints a key that passes (43 random characters, 256 bits).
KEY_HINT = "generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"

#: Different characters a secret key needs: a random hex key of 32 characters has 9 or more
#: (fewer: a few times in a million keys), a base64 key many more.
MIN_KEY_DISTINCT = 9
MIN_PASSWORD_DISTINCT = 5

#: Passwords (and their stems: digits and punctuation around them do not count) that are tried
#: first: the most common ones in leaked lists, English and Dutch, and keyboard walks.
COMMON_PASSWORDS = frozenset(
    """
    password passw0rd p@ssw0rd p@ssword wachtwoord wachtw00rd welkom welkom01 welcome qwerty
    qwertyuiop qwertyuiop12 asdfgh asdfghjkl azerty zxcvbnm 1qaz2wsx qazwsx letmein iloveyou
    iloveu admin administrator beheerder root login master secret geheim monkey dragon
    football voetbal baseball superman batman trustno1 sunshine princess shadow michael
    jennifer charlie computer internet starwars whatever changeme changeit default regie
    programmabureau ministerie overheid nederland amsterdam rotterdam denhaag utrecht zomer
    winter lente herfst voorjaar najaar januari februari maart april mei juni juli augustus
    september oktober november december maandag dinsdag woensdag donderdag vrijdag zaterdag
    zondag
    """.split()  # noqa: SIM905 (a list of words reads best as words)
)


def key_problem(key: str) -> str | None:
    """Why ``key`` (long enough already) is too easy to guess, or None."""
    return _guessable(key, MIN_KEY_DISTINCT)


def password_problem(username: str, password: str) -> str | None:
    """Why ``password`` (long enough already) is too easy to guess, or None. Never quotes it."""
    lowered = password.lower()
    if len(username) >= 3 and username.lower() in lowered:
        return "must not contain the user name"
    stem = lowered.strip(string.digits + string.punctuation + string.whitespace)
    if lowered in COMMON_PASSWORDS or stem in COMMON_PASSWORDS:
        return "is one of the most common passwords: choose another (a few unrelated words)"
    return _guessable(password, MIN_PASSWORD_DISTINCT)


def _guessable(secret: str, min_distinct: int) -> str | None:
    distinct = len(set(secret))
    if distinct < min_distinct:
        return f"uses only {distinct} different character{'' if distinct == 1 else 's'}"
    if _period(secret) is not None:
        return "repeats a shorter part"
    if _run_share(secret) > 0.5:
        return "is mostly a run of neighbouring characters (like 'abcdef' or '123456')"
    return None


def _period(text: str) -> int | None:
    """The length of the shortest part ``text`` repeats (the last copy may be cut short), if
    that part is at most half of it."""
    for size in range(1, len(text) // 2 + 1):
        if all(text[i] == text[i - size] for i in range(size, len(text))):
            return size
    return None


def _run_share(text: str) -> float:
    """The share of neighbouring pairs that are next to each other ('ab', '21'): about 12 % in
    a random hex key, 3 % in a base64 one, all of them in '0123456789abcdef'."""
    pairs = list(itertools.pairwise(text))
    if not pairs:
        return 0.0
    return sum(abs(ord(a) - ord(b)) == 1 for a, b in pairs) / len(pairs)
