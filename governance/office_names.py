"""How messages and pages name the programme office: the plan's ``programme.office_name`` and
``programme.office_article`` (docs/plan-schema.md), by default "Programmabureau", "het".

The templates take the forms from :func:`office_names`; this module only words them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_OFFICE_NAME = "Programmabureau"
DEFAULT_OFFICE_ARTICLE = "het"
#: The articles ``programme.office_article`` may hold.
OFFICE_ARTICLES = ("het", "de")


@dataclass(frozen=True, slots=True)
class OfficeNames:
    """The office's name in its forms: ``name`` as it signs ("Programmabureau"), ``the`` in a
    sentence ("het programmabureau"), ``The`` at a sentence's start ("Het programmabureau")."""

    name: str = DEFAULT_OFFICE_NAME
    article: str = DEFAULT_OFFICE_ARTICLE

    @property
    def noun(self) -> str:
        """The name inside a sentence: its first letter small unless it is an abbreviation
        ("Programmasecretariaat" → "programmasecretariaat", "PMO" stays)."""
        name = self.name
        if len(name) > 1 and name[1].isupper():
            return name
        return name[:1].lower() + name[1:]

    @property
    def the(self) -> str:
        return f"{self.article} {self.noun}"

    @property
    def The(self) -> str:
        return self.the[:1].upper() + self.the[1:]

    @property
    def which(self) -> str:
        """The relative pronoun after the name: "het programmabureau, dat …", "de …, die …"."""
        return "dat" if self.article == "het" else "die"

    def signature(self, programme: str) -> str:
        """How a message is signed: "Programmabureau MVI 2015–2020"."""
        return f"{self.name} {programme}".strip()


def office_names(source: Any = None) -> OfficeNames:
    """The office's names from a programme (:class:`governance.plan.Programme`), a mapping
    with the keys ``office_name``/``office_article`` (a message's render context or payload,
    made before these fields existed too) or None: the defaults for what is missing."""
    if isinstance(source, Mapping):
        name, article = source.get("office_name"), source.get("office_article")
    else:
        name = getattr(source, "office_name", None)
        article = getattr(source, "office_article", None)
    return OfficeNames(
        name=name or DEFAULT_OFFICE_NAME,
        article=article if article in OFFICE_ARTICLES else DEFAULT_OFFICE_ARTICLE,
    )
