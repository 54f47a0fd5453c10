"""`regie contact export|forget` as a user runs them (in process, SQLite under a fresh home)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN
from tests.integration.test_contact_erasure import ENTRY, NAME, WHO


def test_export_forget_then_send_and_cycle(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(SEED_PLAN, plan)
    home = tmp_path / "home"
    env = {"REGIE_HOME": str(home), "REGIE_DATABASE_URL": "", "PREFECT_API_URL": "",
           "REGIE_PLAN": str(plan)}  # fmt: skip
    assert regie("cycle", "--as-of", "2015-10-01", env=env).code == 0
    still = regie("contact", "forget", WHO, "--yes", env=env)
    assert still.code != 0
    assert still.err.strip() == (
        f"{WHO}: still a contact in the plan; remove them from the plan first "
        "(and run `regie sync`)"
    )
    plan.write_text(plan.read_text("utf-8").replace(ENTRY, ""), "utf-8")
    assert regie("sync", env=env).code == 0

    out = tmp_path / "inzage.json"
    exported = regie("contact", "export", WHO, "--out", str(out), env=env)
    assert exported.code == 0, exported.err
    data = json.loads(out.read_text("utf-8"))
    assert data["contacts"][0]["name"] == NAME and data["outbox"]
    again = regie("contact", "export", WHO, "--out", str(out), env=env)
    assert again.code != 0 and "already exists" in again.err
    printed = regie("contact", "export", WHO, env=env)
    assert json.loads(printed.out)["contact"] == WHO

    dry = regie("contact", "forget", WHO, env=env)
    assert dry.code == 0, dry.err
    assert dry.out.startswith(f"would forget contact {WHO} as vertrokken-1\n")
    assert "  outbox: " in dry.out and "dry run: nothing changed" in dry.out
    assert NAME in json.dumps(json.loads(regie("contact", "export", WHO, env=env).out))
    done = regie("contact", "forget", WHO, "--yes", env=env)
    assert done.code == 0, done.err
    assert done.out.startswith(f"forgot contact {WHO} as vertrokken-1\n")
    assert NAME not in regie("contact", "export", WHO, env=env).out

    assert regie("send", env=env).code == 0
    cycle = regie("cycle", "--as-of", "2015-10-08", env=env)
    assert cycle.code == 0, cycle.err
    events = regie("events", "--format", "json", env=env).out
    assert "regie.contact.forgotten" in events and NAME not in events
