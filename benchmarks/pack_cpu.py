"""CPU of the seed's agenda pack as the ``prepare-meeting`` flow makes it (speed48c, RESULTS
§14.3): the pack assembled, its charts drawn once (SVG and PNG), HTML, PDF, the annex and the
Markdown rendered, as :func:`regie.prepare._assemble` does (without archiving).

Usage, from the repository root::

    .venv/bin/python -m benchmarks.pack_cpu [--rounds 4] [--packs 4]

Each round runs two fresh interpreters one after the other, ``main`` then ``new``, each making
the pack ``--packs`` times (after one warm-up pack): ``main`` with the cyclic garbage collector
left on during the renders, as before speed48c; ``new`` as the code is (collector paused around
each render: :func:`regie.gc_pause.paused_gc_for_garbage`). Prints the CPU seconds per pack
(user + system of the process, warm-up excluded), the process's RSS after the packs, and that
both made the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(home: Path, variant: str, packs: int) -> None:
    from contextlib import nullcontext

    from regie import gc_pause
    from regie.pdf_worker import _chart_maker
    from regie.reports import _agenda_charts, agenda_pack, render_agenda, render_agenda_annex
    from tests.integration.reports_scenario import AS_OF, MEETING, make_app

    if variant == "main":  # the renders as before speed48c: the collector left on
        gc_pause.paused_gc_for_garbage = nullcontext  # type: ignore[assignment]
    app = make_app(home)
    plan = app.load_plan()

    def one() -> str:
        pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF, plan=plan)
        charts = _chart_maker(lambda cf: _agenda_charts(pack, cf), ("html", "pdf"))
        made = [
            render_agenda(pack, "html", charts=charts),
            render_agenda(pack, "pdf", charts=charts),
            render_agenda_annex(pack),
            render_agenda(pack, "md"),
        ]
        return hashlib.sha256(b"".join(hashlib.sha256(m).digest() for m in made)).hexdigest()

    digest = one()  # warm-up: imports, the plan, the fonts
    started = time.process_time()
    for _ in range(packs):
        assert one() == digest
    cpu = (time.process_time() - started) / packs
    rss = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    print(json.dumps({"cpu": cpu, "rss_mb": rss / 2**20, "digest": digest}))


def main(rounds: int, packs: int) -> None:
    from tests.integration.reports_scenario import make_app, seed_scenario

    home = Path(tempfile.mkdtemp(prefix="regie-bench-pack-cpu-"))
    seed_scenario(make_app(home))
    samples: dict[str, list[dict[str, float | str]]] = {"main": [], "new": []}
    loads = []
    for _ in range(rounds):
        for variant in samples:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.pack_cpu", "--child", variant,
                 "--home", str(home), "--packs", str(packs)],
                cwd=ROOT, check=True, capture_output=True, text=True,
            )  # fmt: skip
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            result["process"] = (after.ru_utime - before.ru_utime) + (
                after.ru_stime - before.ru_stime
            )
            samples[variant].append(result)
            loads.append(os.getloadavg()[0])
    print(f"seed agenda pack (html + pdf + annex + md, charts drawn once), {rounds} rounds x "
          f"{packs} packs, main/new alternating; "
          f"load {min(loads):.1f}–{max(loads):.1f}")  # fmt: skip
    print("variant  CPU s/pack (median, min–max)   whole process CPU s (median)   RSS after")
    for variant, runs in samples.items():
        cpus = [float(r["cpu"]) for r in runs]
        print(
            f"{variant:<8} {statistics.median(cpus):6.2f} ({min(cpus):.2f}–{max(cpus):.2f})"
            f"{statistics.median(float(r['process']) for r in runs):22.1f}"
            f"{statistics.median(float(r['rss_mb']) for r in runs):17.0f} MB"
        )
    digests = {str(r["digest"]) for runs in samples.values() for r in runs}
    print(f"same bytes in every run: {'yes' if len(digests) == 1 else 'NO'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--packs", type=int, default=4)
    parser.add_argument("--child", choices=("main", "new"))
    parser.add_argument("--home", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.home, args.child, args.packs)
    else:
        main(args.rounds, args.packs)
