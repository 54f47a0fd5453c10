"""An answer's status and the Slack answer buttons are worded once
(notifications/templates/answer_words.txt.j2), for every channel."""

from __future__ import annotations

from notifications.slack_answer_blocks import answer_actions, edit_actions, overdue_actions
from notifications.words import ALL_STATUSES, status_label, status_labels


def _labels(block: dict[str, object]) -> list[str]:
    return [e["text"]["text"] for e in block["elements"]]  # type: ignore[attr-defined]


def test_every_status_has_its_label() -> None:
    assert status_labels() == {
        "on_track": "Op schema", "at_risk": "Risico", "done": "Gereed", "cancelled": "Vervallen",
    }  # fmt: skip
    assert tuple(status_labels()) == ALL_STATUSES
    assert status_label("something_new") == "something_new"


def test_the_slack_buttons_read_as_before() -> None:
    assert _labels(answer_actions("1.1.1")) == ["Op schema", "Risico", "Gereed…", "Update geven"]
    assert _labels(overdue_actions("1.1.1")) == ["Gereed…", "Nieuwe datum…", "Loopt vast…"]
    assert _labels(edit_actions("1.1.1")) == ["Wijzigen"]


def test_every_button_names_its_item_for_a_screen_reader() -> None:
    """walk58c 3: "Gereed…", "Nieuwe datum…" repeat under every item of a digest; a screen reader
    heard the same buttons up to 17 times. Each says its item (Slack: at most 75 characters)."""

    def said(block: dict[str, object]) -> list[str]:
        return [e["accessibility_label"] for e in block["elements"]]  # type: ignore[attr-defined]

    assert said(answer_actions("1.1.1")) == [
        "Op schema (punt 1.1.1)", "Risico (punt 1.1.1)", "Gereed… (punt 1.1.1)",
        "Update geven (punt 1.1.1)",
    ]  # fmt: skip
    assert said(overdue_actions("2.3")) == [
        "Gereed… (punt 2.3)", "Nieuwe datum… (punt 2.3)", "Loopt vast… (punt 2.3)",
    ]  # fmt: skip
    assert said(edit_actions("4")) == ["Wijzigen (punt 4)"]
    long = said(overdue_actions("A" * 80))
    assert all(len(s) == 75 and s.endswith("…") for s in long), long


def test_the_python_names_and_the_messages_use_the_catalogue() -> None:
    from notifications.render import environment
    from regie.slack_modals import QUICK, STATUS_LABELS
    from web.answers import STATUS_CHOICES
    from web.answers import STATUS_LABELS as WEB_LABELS

    assert STATUS_CHOICES == (("on_track", "Op schema"), ("at_risk", "Risico"), ("done", "Gereed"))
    assert dict(STATUS_CHOICES) == QUICK
    assert STATUS_LABELS == WEB_LABELS == status_labels()
    status = environment().get_template("latest_answer.j2").module.status
    assert [str(status(s)) for s in (*ALL_STATUSES, "later")] == [
        "Op schema", "Risico", "Gereed", "Vervallen", "later",
    ]  # fmt: skip
