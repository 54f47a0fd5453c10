"""The Slack answer desk's fixtures (:mod:`.desk`) for every test in this folder."""

from tests.integration.slack_overdue.desk import app, slack, web

__all__ = ["app", "slack", "web"]
