"""Why an answer was refused, as the command line says it: a sentence, never the log's key."""

from __future__ import annotations

import pytest

from governance.answers import Refusal, refused_en
from governance.plan import Deadline, ItemLevel


def _item(*owners: str) -> Deadline:
    return Deadline("1.1.1", ItemLevel.MILESTONE, "1.1", 1, "Inventaris", None, None, owners, ())


@pytest.mark.parametrize(
    ("reason", "owners", "text"),
    [
        (Refusal.NOT_OWNER, ("IenM",), "not a contact of its owner IenM, nor a deputy of one"),
        (Refusal.NOT_OWNER, ("PROV", "GEM"),
         "not a contact of its owners PROV, GEM, nor a deputy of one"),
        (Refusal.NOT_OWNER, (),
         "the item has no owner: only the programme office may answer for it"),
        (Refusal.OFFICE_ONLY, ("IenM",), "only the programme office may cancel an item"),
        (Refusal.UNKNOWN_CONTACT, ("IenM",), "not a contact in the plan"),
    ],
)  # fmt: skip
def test_each_reason_reads_as_a_sentence(
    reason: Refusal, owners: tuple[str, ...], text: str
) -> None:
    said = refused_en(reason, _item(*owners))
    assert said == text and reason.value not in said
