"""Benchmark: generate N fictional persons, time common commands as whole processes,
and print each as a ratio against plain `python -c pass` and plain git.

    python bench/bench.py [N] [--runs R]

Read the ratios, not the milliseconds: machines differ, proportions travel.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reseau_cli import store  # noqa: E402


def timed(cmd: list[str], cwd: Path, env: dict[str, str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def generate(team: Path, n: int) -> list[str]:
    """N persons modelled on the example of case 1, with distinct ids and names."""
    template = store.parse((ROOT / "examples/team/persons/p-m4rc3l.yaml").read_text(), path="x")
    (team / "intervenants").mkdir(exist_ok=True)
    for source in (ROOT / "examples/team/intervenants").glob("*.yaml"):
        shutil.copy(source, team / "intervenants" / source.name)
    (team / "persons").mkdir(exist_ok=True)
    ids = []
    for i in range(n):
        pid = f"p-b{i:06d}"
        doc = dict(template, id=pid)
        doc["identity"] = dict(template["identity"], family_name=f"Bench{i}")
        (team / "persons" / f"{pid}.yaml").write_text(store.dump(doc))
        ids.append(pid)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="reseau-bench-"))
    team = base / "team"
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
        "RESEAU_TODAY": "2026-11-28",
        "RESEAU_REPO": str(team),
    }
    py = sys.executable
    cli = [py, "-m", "reseau_cli"]
    try:
        subprocess.run([*cli, "init", str(team)], env=env, check=True, capture_output=True)
        ids = generate(team, args.n)
        subprocess.run(["git", "add", "-A"], cwd=team, check=True)
        subprocess.run(["git", "commit", "-qm", "bench"], cwd=team, env=env, check=True)
        print(
            f"{args.n} persons (~{len((team / 'persons' / f'{ids[0]}.yaml').read_bytes()) // 1024} KB each), median of {args.runs} runs\n"
        )
        py_pass = timed([py, "-c", "pass"], team, env, args.runs)
        git_status = timed(["git", "status", "--porcelain"], team, env, args.runs)
        counter = iter(range(10**6))

        def git_commit() -> list[str]:
            path = team / "notes.txt"
            path.write_text(str(next(counter)))
            return ["sh", "-c", "git add notes.txt && git commit -qm note"]

        git_add_commit = statistics.median(
            timed(git_commit(), team, env, 1) for _ in range(args.runs)
        )
        cold_start = time.perf_counter()
        subprocess.run([*cli, "person", "list"], cwd=team, env=env, check=True, capture_output=True)
        cold = (time.perf_counter() - cold_start) * 1000
        rows = [
            ("python -c pass", py_pass),
            ("git status", git_status),
            ("git add && git commit", git_add_commit),
            ("reseau --help", timed([*cli, "--help"], team, env, args.runs)),
            ("reseau person list (cold cache)", cold),
            ("reseau person list", timed([*cli, "person", "list"], team, env, args.runs)),
            ("reseau person show", timed([*cli, "person", "show", ids[0]], team, env, args.runs)),
            ("reseau check", timed([*cli, "check"], team, env, args.runs)),
            ("reseau status", timed([*cli, "status", "--json"], team, env, args.runs)),
            (
                "reseau intervenant show (caseload)",
                timed([*cli, "intervenant", "show", "karim-ouali"], team, env, args.runs),
            ),
            (
                "reseau render plan --format html",
                timed([*cli, "render", "plan", ids[0], "--format", "html"], team, env, args.runs),
            ),
            ("reseau log -n 10", timed([*cli, "log", "-n", "10"], team, env, args.runs)),
            (
                "reseau person add (write + commit)",
                timed(
                    [*cli, "person", "add", "--family-name", "X", "--given-name", "Y", "--force"],
                    team,
                    env,
                    args.runs,
                ),
            ),
        ]
        width = max(len(name) for name, _ in rows)
        print(f"{'command':<{width}}  {'ms':>8}  {'× python':>9}  {'× git commit':>12}")
        for name, ms in rows:
            print(f"{name:<{width}}  {ms:8.1f}  {ms / py_pass:9.1f}  {ms / git_add_commit:12.1f}")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
