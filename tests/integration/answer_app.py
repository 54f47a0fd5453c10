"""An App on a migrated database with the answers test plan (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from regie.bootstrap import App
from regie.config import Settings

ANSWERS_PLAN = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "answers.yaml"
#: Anna's contact entry in ANSWERS_PLAN, as tests find or replace it in the plan text.
ANNA = """  - id: anna
    name: Anna de Wit
    organisation: GEM
    email: anna@example.org
    slack: U0ANNA
    deputy: bram
"""


def answers_app(url: str, home: Path, plan: Path = ANSWERS_PLAN) -> App:
    return App(
        Settings(home=home, database_url=url, plan_path=plan, notifier="file", timezone=None)
    )
