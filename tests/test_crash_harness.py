"""The kill harness: real write commands killed at many points, in a real repository.

Each trial starts a real `reseau` write command in its own process and kills it: with a
real SIGKILL at each named step of the commit (RESEAU_CRASH_AT), at its first write (the
temporary index appearing), at a random instant after it took the lock, at a random
instant from its start, and with its whole process group (git children included). Then
the next command, a write, must succeed and repair what the kill left: `git fsck` clean,
the working tree clean, no temporary file or lock left, each command's change whole or
absent. SIGINT (to the process group, as Ctrl-C does) and SIGTERM trials must report
exactly what happened and leave nothing to repair.

The figures are printed (tried, repaired automatically, left dirty, dishonest reports,
tracebacks, slowest repair) and the bad ones must be zero. `RESEAU_CAMPAIGN=N` runs N
SIGKILL trials (default 80) and N/8 of each signal trial (default 10 each).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import git

pytestmark = pytest.mark.slow


class CampaignFigures(UserWarning):
    """The harness's figures, shown in pytest's warnings summary."""


STEPS = ["blobs", "tree", "commit", "journal", "temps", "ref", "rename-1", "rename-2", "index"]
MODES = ["step", "first-write", "after-lock", "from-start", "group"]
REPAIRED = ("reseau: finished", "reseau: undid", "reseau: cleaned up")


def _start(root: Path, args: list[str], **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reseau_cli", *args],
        cwd=root,
        env={**os.environ, "RESEAU_REPO": str(root), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal would give it
    )


def _run(root: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    proc = _start(root, args)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def _wait(proc: subprocess.Popen[str], condition: Callable[[], bool], timeout: float = 60) -> bool:
    """Poll until ``condition`` holds; False if the process ended first."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.0005)
    return False


def _lock_taken(root: Path, pid: int) -> Callable[[], bool]:
    lock = root / ".git" / "reseau.lock"

    def taken() -> bool:
        try:
            return lock.read_text() == f"{pid}\n"
        except OSError:
            return False

    return taken


def _first_write(root: Path) -> Callable[[], bool]:
    marks = [root / ".git" / n for n in ("reseau-index.tmp", "reseau-journal.json")]
    return lambda: any(m.exists() for m in marks)


def _traces(root: Path) -> bool:
    """Whether a kill left a change half-made: its journal, temporary index or files."""
    names = ("reseau-journal.json", "reseau-journal.json.tmp", "reseau-index.tmp")
    return any((root / ".git" / n).exists() for n in names) or any(root.rglob("*.reseau-new"))


def _leftovers(root: Path) -> list[str]:
    found = [p.name for p in root.rglob("*.reseau-new")]
    found += [p.name for p in root.rglob("*.tmp") if ".git/objects" not in p.as_posix()]
    found += [p.name for p in (root / ".git").glob("reseau-journal*")]
    found += [p.name for p in (root / ".git").rglob("*.lock") if p.name != "reseau.lock"]
    return found


class Campaign:
    def __init__(self, root: Path, person: str, helper: str, rng: random.Random) -> None:
        self.root, self.person, self.helper, self.rng = root, person, helper, rng
        self.figures: Counter[str] = Counter()
        self.problems: list[str] = []
        self.slowest = 0.0
        self.n = 0
        self.durations: dict[str, tuple[float, float]] = {}

    def command(self, i: int) -> tuple[str, list[str]]:
        """The i-th write command: each kind in turn, with fresh values."""
        self.n += 1
        n, p = self.n, self.person
        commands = [
            ("person add", ["person", "add", "--family-name", f"F{n}", "--given-name", "G"]),
            ("intervenant add", ["intervenant", "add", p, "--name", f"Aide {n}", "--role", "aide"]),
            ("plan action add", ["plan", "action", "add", p, f"Action {n}", "--by", "person"]),
            ("plan objective add", ["plan", "objective", "add", p, f"Objective {n}"]),
            (
                "concertation record",
                ["concertation", "record", p, "--date", "2026-11-20"]
                + ["--participant", self.helper, "--decision", f"Decision {n}"],
            ),
            (
                "intervenant update",
                ["intervenant", "update", self.helper, "--phone", f"0470 {n:06d}"],
            ),
        ]
        return commands[i % len(commands)]

    def calibrate(self) -> None:
        """How long each command takes in all, and after taking the lock."""
        for i in range(6):
            name, args = self.command(i)
            start = time.monotonic()
            proc = _start(self.root, args)
            _wait(proc, _lock_taken(self.root, proc.pid))
            locked = time.monotonic()
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            end = time.monotonic()
            self.durations[name] = (end - start, max(end - locked, 0.01))

    # -- SIGKILL trials ----------------------------------------------------------------
    def kill_trial(self, i: int, mode: str, step: str) -> None:
        root = self.root
        name, args = self.command(i)
        total, after_lock = self.durations[name]
        old = git(root, "rev-parse", "HEAD").strip()
        env = {"RESEAU_CRASH_AT": step} if mode == "step" else {}
        proc = _start(root, args, **env)
        if mode == "first-write" or mode == "group":
            reached = _wait(proc, _first_write(root))
            if reached and mode == "group":
                time.sleep(self.rng.uniform(0, after_lock))
        elif mode == "after-lock":
            reached = _wait(proc, _lock_taken(root, proc.pid))
            time.sleep(self.rng.uniform(0, after_lock))
        elif mode == "from-start":
            time.sleep(self.rng.uniform(0, total))
        if mode != "step" and proc.poll() is None:  # (a step kills itself)
            if mode == "group":
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
        _, err = proc.communicate(timeout=120)
        killed = proc.returncode == -signal.SIGKILL
        self.figures["tried"] += 1
        self.figures["killed" if killed else "finished before the kill"] += 1
        self._traceback(err, f"{name} ({mode} {step})")
        traces = _traces(root)
        self.figures["killed mid-write"] += traces
        self._after(old, name, f"{mode}{' ' + step if mode == 'step' else ''}", killed, traces)

    def _after(self, old: str, name: str, how: str, killed: bool, traces: bool) -> None:
        """The next command, a write, repairs; then everything is checked."""
        root = self.root
        start = time.monotonic()
        nxt = _run(root, ["plan", "objective", "add", self.person, f"After {self.n}"])
        self.slowest = max(self.slowest, time.monotonic() - start)
        self._traceback(nxt.stderr, f"the command after {name} ({how})")
        made = git(root, "rev-list", f"{old}..HEAD").split()
        repaired = nxt.stderr.startswith(REPAIRED)
        if repaired:
            self.figures["repaired automatically"] += 1
        problems = []
        if traces and not repaired:
            problems.append(
                f"the kill left a change half-made, the next command said {nxt.stderr!r}"
            )
        if nxt.returncode != 0:
            problems.append(f"next write refused: {nxt.stderr.strip()}")
        if len(made) not in (1, 2):
            problems.append(f"{len(made)} commits")
        if nxt.stderr.startswith("reseau: finished") and len(made) != 2:
            problems.append("said finished, but the change is not there")
        if nxt.stderr.startswith(("reseau: undid", "reseau: cleaned")) and len(made) != 1:
            problems.append("said undone, but the change is there")
        if len(made) == 2:
            self.figures["change whole"] += 1
            files = git(root, "show", "--name-only", "--format=", made[1]).split()
            if not files or (name == "intervenant add" and len(files) != 2):
                problems.append(f"the change has files {files}")
        else:
            self.figures["change absent"] += 1
        status = git(root, "status", "--porcelain")
        if status:
            problems.append(f"dirty: {status.strip()}")
        if _leftovers(root):
            problems.append(f"left behind: {_leftovers(root)}")
        fsck = subprocess.run(["git", "fsck", "--no-dangling"], cwd=root, capture_output=True)
        if fsck.returncode != 0:
            problems.append(f"git fsck: {fsck.stderr.decode()[-300:]}")
        if problems:
            self.figures["left dirty"] += 1
            self.problems.append(f"{name} ({how}, killed={killed}): {'; '.join(problems)}")

    # -- SIGINT and SIGTERM trials --------------------------------------------------------
    def signal_trial(self, i: int, sig: signal.Signals) -> None:
        root = self.root
        name, args = self.command(i)
        _, after_lock = self.durations[name]
        old = git(root, "rev-parse", "HEAD").strip()
        proc = _start(root, args)
        _wait(proc, _lock_taken(root, proc.pid))
        time.sleep(self.rng.uniform(0, after_lock / 2))  # mostly while it runs
        if proc.poll() is None:
            # Ctrl-C reaches the whole process group; `kill` reaches the process alone.
            os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
        label = f"{sig.name} {name}"
        self.figures[f"{sig.name} tried"] += 1
        self._traceback(err, label)
        made = git(root, "rev-list", f"{old}..HEAD").split()
        last = err.strip().splitlines()[-1] if err.strip() else ""
        honest = {
            0: len(made) == 1,
            130 if sig == signal.SIGINT else 143: (
                (last == "interrupted; nothing was committed" and not made)
                or (
                    len(made) == 1
                    and last
                    == f"interrupted after committing {made[0][:7]}; the change is complete"
                )
            ),
        }.get(proc.returncode, False)
        if proc.returncode != 0:
            self.figures[f"{sig.name} interrupted"] += 1
        if not honest:
            self.figures["dishonest reports"] += 1
            self.problems.append(
                f"{label}: exit {proc.returncode}, said {last!r}, {len(made)} commit(s)"
            )
        status, left = git(root, "status", "--porcelain"), _leftovers(root)
        if status or left:
            self.figures["left dirty"] += 1
            self.problems.append(f"{label}: dirty right after: {status.strip()} {left}")
        nxt = _run(root, ["plan", "objective", "add", self.person, f"After {self.n}"])
        if nxt.returncode != 0 or nxt.stderr.startswith(REPAIRED):
            self.figures["left dirty"] += 1
            self.problems.append(f"{label}: the next write said {nxt.stderr.strip()!r}")

    def _traceback(self, stderr: str, label: str) -> None:
        if "Traceback" in stderr:
            self.figures["tracebacks"] += 1
            self.problems.append(f"{label}: traceback {stderr.strip()[-400:]}")

    def report(self) -> str:
        f = self.figures
        lines = [
            f"kill harness: {f['tried']} SIGKILLs ({f['killed']} killed mid-run, "
            f"{f['finished before the kill']} finished first), {f['SIGINT tried']} SIGINTs, "
            f"{f['SIGTERM tried']} SIGTERMs",
            f"  {f['killed mid-write']} SIGKILLs left a change half-made; repaired automatically "
            f"by the next command {f['repaired automatically']}; change whole "
            f"{f['change whole']}, absent {f['change absent']}",
            f"  interrupted by SIGINT {f['SIGINT interrupted']}, by SIGTERM {f['SIGTERM interrupted']}",
            f"  left dirty {f['left dirty']}, dishonest reports {f['dishonest reports']}, "
            f"tracebacks {f['tracebacks']}; slowest repairing command {self.slowest:.2f} s",
        ]
        return "\n".join(lines + [f"  - {p}" for p in self.problems[:20]])


@pytest.fixture
def campaign_repo(tmp_path: Path) -> tuple[Path, str, str]:
    root = tmp_path / "team"
    init = subprocess.run(
        [sys.executable, "-m", "reseau_cli", "init", str(root)], capture_output=True, text=True
    )
    assert init.returncode == 0, init.stderr
    person = _run(root, ["person", "add", "--family-name", "Janssens", "--given-name", "M"])
    helper = _run(
        root,
        ["intervenant", "add", person.stdout.strip(), "--name", "Paul Martin"]
        + ["--role", "médecin", "--since", "2026-01-01"],
    )
    assert helper.returncode == 0, helper.stderr
    return root, person.stdout.strip(), helper.stdout.strip()


def test_kill_campaign(
    campaign_repo: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    root, person, helper = campaign_repo
    size = int(os.environ.get("RESEAU_CAMPAIGN", "80"))
    seed = int(os.environ.get("RESEAU_CAMPAIGN_SEED", "19"))
    campaign = Campaign(root, person, helper, random.Random(seed))
    campaign.calibrate()
    started = time.monotonic()
    steps = 0
    for i in range(size):
        mode = MODES[(i // 6) % len(MODES)] if i % 3 else "step"
        step = STEPS[steps % len(STEPS)] if mode == "step" else ""
        steps += mode == "step"
        campaign.kill_trial(i, mode, step)
    for i in range(max(2, size // 8)):
        campaign.signal_trial(i, signal.SIGINT)
        campaign.signal_trial(i + 3, signal.SIGTERM)
    figures = f"{campaign.report()}\n  seed {seed}, {time.monotonic() - started:.0f} s"
    with capsys.disabled():
        print(f"\n{figures}")
    # Under pytest-xdist a worker's output is not shown: the warnings summary is.
    warnings.warn(CampaignFigures(figures), stacklevel=1)
    f = campaign.figures
    assert f["left dirty"] == 0 and f["dishonest reports"] == 0 and f["tracebacks"] == 0, (
        campaign.report()
    )
    # The campaign really hit the commit: most kills land mid-run, many mid-write.
    assert f["killed"] >= size // 2 and f["killed mid-write"] >= size // 5, campaign.report()
