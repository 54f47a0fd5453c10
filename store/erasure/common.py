"""What forgetting a contact (:mod:`.forget`) and redacting a note (:mod:`.redaction`) share:
the refusal and the count of rows a statement changed; and the helpers that rewrite a contact's
personal values where they stand in stored JSON and in hand-typed text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


class ErasureRefused(Exception):
    """The erasure cannot run now (nothing changed)."""


def scrub(value: Any, replace: dict[str, str | None]) -> Any:
    """``value`` (JSON) with every string that is a key of ``replace`` (a name, an address, the
    contact's code) replaced, wherever it is; other strings and all keys stay."""
    if isinstance(value, str):
        if "@" in value:  # addresses match whatever their case
            return replace.get(value, replace.get(value.lower(), value))
        return replace.get(value, value)
    if isinstance(value, list):
        return [scrub(v, replace) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v, replace) for k, v in value.items()}
    return value


#: Words that join a Dutch surname (``van der Berg``): not a given name.
_PARTICLES = frozenset("van von der den de het ten ter te in 't d' la le du da di".split())  # noqa: SIM905


def name_pattern(values: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive pattern for the ways a hand-typed label names the person with these
    personal values (names, e-mail addresses, ids): each value whole; a name without its
    bracketed suffix (``K. Voorbeeld (PIANOo, fictief)`` → ``K. Voorbeeld``); the given name or
    its initial(s) with or without dots before the surname (``Hanna Jansen``, ``H. Jansen``,
    ``H Jansen``, ``H.J. Jansen`` for ``Hanna Jansen``); the reversed form (``Jansen, H.``);
    and an e-mail address's local part. Whitespace may vary. A surname alone is not matched:
    it would hit namesakes (``G. Voorbeeld`` is another person than ``K. Voorbeeld``)."""
    whole: set[str] = set()  # tried first: a value whole, its bracketed suffix included
    forms: set[str] = set()
    for value in values:
        value = value.strip()
        if len(value) <= 2:
            continue
        whole.add(_flexible(value))
        if "@" in value:
            local = value.split("@", 1)[0]
            if len(local) > 2:
                forms.add(_flexible(local))
            continue
        base = re.sub(r"\s*\(.*?\)\s*", " ", value).strip()
        words = base.split()
        if len(words) < 2:
            if len(base) > 2:
                forms.add(_flexible(base))
            continue
        forms.add(_flexible(base))
        given = 1
        while given < len(words) - 1 and words[given].rstrip(".").lower() not in _PARTICLES:
            if not re.fullmatch(r"(?:\w\.)+\w?\.?|\w+", words[given]) or given >= 2:
                break
            given += 1  # "Anna Maria de Vries": two given names (at most)
        first, surname = words[:given], words[given:]
        if surname and surname[0].rstrip(".").lower() not in _PARTICLES and given > 1:
            first, surname = words[:1], words[1:]
        last = r"\s+".join(re.escape(w) for w in surname)
        initial = re.escape(first[0][0])
        full_given = r"\s+".join(re.escape(w) for w in first)
        # "H. Jansen", "H Jansen", "H.J. Jansen", "HJ Jansen", "Hanna Jansen"
        initials = rf"{initial}\.?(?:\s*\w\.?){{0,3}}"
        alternatives = [full_given, initials]
        if not re.fullmatch(r"(?:\w\.?)+", first[0]):
            alternatives.append(re.escape(first[0]))  # the first given name alone
        given_forms = "|".join(alternatives)
        forms.add(rf"(?:{given_forms})\s+{last}")
        forms.add(rf"{last},\s*(?:{given_forms})")
    if not whole:
        return None
    ordered = sorted(whole, key=len, reverse=True) + sorted(forms - whole, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)", re.IGNORECASE)


def _flexible(text: str) -> str:
    return r"\s+".join(re.escape(w) for w in text.split())


def replace_in(text: str, values: Iterable[str], pseudonym: str) -> str:
    """``text`` with each value (longest first; not one of two characters or less) replaced."""
    for value in sorted(values, key=len, reverse=True):
        if len(value) > 2:
            text = text.replace(value, pseudonym)
    return text


def count_rows(result: Any) -> int:
    """The rows an UPDATE or DELETE changed."""
    return int(result.rowcount or 0)
