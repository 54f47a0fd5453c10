"""The Slack answer desk's fixtures (:mod:`.desk`) for every test in this folder."""

from tests.integration.slack_overdue.desk import app, desk_day, slack, web

__all__ = ["app", "desk_day", "slack", "web"]
