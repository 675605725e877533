"""Benchmark: reseau against the tools its users know, on a realistic repository.

    python bench/bench.py [N …] [--runs R] [--record FILE] [--render] [--no-pass]
                          [--only render]

For each N (default 1,000) it generates N fictional persons (about 6 KB each: 12 to 15
intervenants drawn from a directory of 300, objectives, actions, concertations, names
and situations that vary), commits them, and times whole processes, medians of R runs:
reseau's commands and, in the same run, their anchors: `git status`, `git grep`,
`git add && git commit`, one Python process loading every file with libyaml's C loader
(the floor of a cold load), and `pass` (insert with its commit, show) when `pass` and
`gpg` are installed (else it says so and leaves that column out). Each measure runs in
turn with its anchor (A B A B …) and the ratio is the median of the pairs' ratios, so a
machine whose speed drifts during the run (a shared host) moves both sides of a pair
alike. It prints each measure beside its anchor, the ratio and the goal, and with several N
how each cost grows: for the commands that touch one person, timed at the smallest and the
largest N in turn once every size has been (both repositories are kept until then).
Cold commands run on a fresh clone each time: cold `status` and its floor 3 times (the
median), cold `check` and its floor once.
``--record FILE`` writes the table as Markdown with the machine and the date.
``--render`` adds `render all --format html` at the smallest N, beside its anchor: the
same templates rendered by Jinja2 in one process from the same data
(``bench/render_anchor.py``, which says what it leaves out); ``--only render`` times just
that pair, at every N, R runs each.

Read the ratios, not the milliseconds: machines differ, proportions travel.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reseau_cli import ids as id_rule  # noqa: E402
from reseau_cli import schemas, store  # noqa: E402

GIVEN = "Marcel Jeanne Léa Søren André Zoé Hélène Joseph Fatima Noël Inès Théo Émile Ana Chloé Yves"
FAMILY = (
    "Janssens Peeters Dubois Lefèvre Claes Simon Goossens Lambert Müller Østergaard Nuñez "
    "Benali Martinez Dupont Renard Vermeulen Maes Hubert Çelik Wouters"
)
SITUATIONS = [
    "Vit seul depuis le décès de son épouse; chutes répétées la nuit.",
    "Retour à domicile après hospitalisation; troubles cognitifs débutants.",
    "Aidante épuisée, demande un répit; isolement social marqué.",
    "Diabète mal équilibré, difficultés à gérer le traitement seul.",
    "Logement inadapté à l'étage, souhaite rester chez elle malgré tout.",
    "Dénutrition repérée par l'infirmière, repas irréguliers.",
]
ACTIONS = [
    "Installer la téléassistance",
    "Demander une aide familiale deux matinées par semaine",
    "Réévaluer le traitement avec le médecin traitant",
    "Kinésithérapie deux fois par semaine",
    "Organiser la livraison des repas",
    "Rencontrer la famille pour le relais du week-end",
]
COLD_RUNS = 3  # runs of cold `status` and of its floor (the median is shown)
WORD = "téléassistance"  # what `find` and `git grep` look for


def _shift(value: Any, days: int) -> Any:
    if isinstance(value, dict):
        return {k: _shift(v, days) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift(v, days) for v in value]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()
    return value


def _rename(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _rename(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, names) for v in value]
    if isinstance(value, str):
        return names.get(value, value)
    return value


def generate(team: Path, n: int, seed: int = 12) -> list[str]:
    """N valid persons modelled on case 1 of the examples, varied, and a directory."""
    rng = random.Random(seed)
    template = store.parse((ROOT / "examples/team/persons/p-m4rc3l.yaml").read_text(), path="x")
    folder = team / "intervenants"
    folder.mkdir(exist_ok=True)
    directory = []
    for i in range(300):
        ident = f"i-{i:04d}"
        name = f"{rng.choice(GIVEN.split())} {rng.choice(FAMILY.split())}"
        entry = {"format": 1, "id": ident, "name": name, "kind": "professional"}
        entry["profession"] = rng.choice(["infirmier", "médecin généraliste", "kinésithérapeute"])
        folder.joinpath(f"{ident}.yaml").write_text(store.dump(entry))
        directory.append(ident)
    members = [m["intervenant"] for m in template["network"]]
    (team / "persons").mkdir(exist_ok=True)
    ids: list[str] = []
    taken: set[str] = set()
    for _ in range(n):
        # Ids as reseau makes them (six letters of its alphabet): one length for all, as in
        # a team's repository, and as the persons `person add` adds during the run.
        pid = "p-" + "".join(rng.choices(id_rule.ALPHABET, k=6))
        while pid in taken:
            pid = "p-" + "".join(rng.choices(id_rule.ALPHABET, k=6))
        taken.add(pid)
        chosen = rng.sample(directory, len(members) + 5)
        doc = _rename(template, dict(zip(members, chosen, strict=False)))
        doc = _shift(doc, -rng.randrange(0, 60))
        doc["id"] = pid
        doc["identity"] = dict(
            doc["identity"],
            family_name=rng.choice(FAMILY.split()),
            given_name=rng.choice(GIVEN.split()),
        )
        doc["situation"] = " ".join(rng.sample(SITUATIONS, 3))
        since = doc["opened"]
        for extra in chosen[len(members) :]:
            doc["network"].append({"intervenant": extra, "role": "bénévole", "since": since})
        for action in doc["plan"]["actions"]:
            action["text"] = rng.choice(ACTIONS)
        ordered = schemas.order("person", doc)
        found = schemas.problems("person", ordered, path=pid)
        if found:
            raise SystemExit(f"the generator made an invalid person: {found[0]}")
        (team / "persons" / f"{pid}.yaml").write_text(store.dump(ordered))
        ids.append(pid)
    return ids


# A commit of thousands of new files makes git start `git gc --auto` in the background,
# detached, from 6,700 loose objects on: at 20,000 persons it repacked the whole store
# while the next commands were timed (the team's store and pass's alike). So the bulk
# commits leave git's automatic upkeep out and the store is packed in the foreground,
# as a team's repository is (every clone is packed; git's own upkeep keeps it so).
QUIET_GIT = ["git", "-c", "maintenance.auto=false", "-c", "gc.auto=0"]


def packed(store: Path) -> None:
    subprocess.run(["git", "-C", str(store), "gc", "--quiet"], check=True, capture_output=True)


@dataclass(frozen=True)
class Time:
    """Milliseconds of one measure: wall clock, and processor time (user + system of the
    process and every process it started), the one a busy machine does not inflate."""

    wall: float
    cpu: float

    def __truediv__(self, other: Time) -> tuple[float, float]:
        return self.wall / other.wall, self.cpu / max(other.cpu, 0.001)


LOADS: list[float] = []  # the 1-minute load average, sampled before each timed command


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


Command = list[str] | Callable[[], list[str]]


@dataclass(frozen=True)
class Probe:
    """A command to time as a whole process (a callable makes its arguments anew each
    run), where and with what environment it runs."""

    cmd: Command
    cwd: Path
    env: dict[str, str]


def _once(probe: Probe) -> tuple[float, float]:
    """Seconds of one run: wall, and processor time of the process and its children."""
    LOADS.append(os.getloadavg()[0])
    argv = probe.cmd() if callable(probe.cmd) else probe.cmd
    cpu, start = _cpu(), time.perf_counter()
    subprocess.run(argv, cwd=probe.cwd, env=probe.env, check=True, capture_output=True)
    return time.perf_counter() - start, _cpu() - cpu


def _median(runs: list[tuple[float, float]]) -> Time:
    return Time(
        statistics.median(w for w, _ in runs) * 1000, statistics.median(c for _, c in runs) * 1000
    )


def timed(cmd: Command, cwd: Path, env: dict[str, str], runs: int) -> Time:
    """Medians of ``cmd`` as a whole process (a callable makes it anew each run)."""
    return _median([_once(Probe(cmd, cwd, env)) for _ in range(runs)])


@dataclass(frozen=True)
class Pair:
    a: Time
    b: Time
    ratio: tuple[float, float]  # A/B, wall and processor time: the median of the pairs'


def paired(a: Probe, b: Probe, runs: int) -> Pair:
    """A and B in turn, A B A B …, ``runs`` each: the medians of each, and the median of
    the ratios A/B pair by pair. A machine whose speed drifts (a neighbour on a shared
    host, the minutes between the first size and the last) moves both runs of a pair
    alike, so a ratio taken pair by pair keeps meaning what it says."""
    pairs = [(_once(a), _once(b)) for _ in range(runs)]
    walls = [x[0] / max(y[0], 1e-6) for x, y in pairs]
    cpus = [x[1] / max(y[1], 1e-6) for x, y in pairs]
    return Pair(
        _median([x for x, _ in pairs]),
        _median([y for _, y in pairs]),
        (statistics.median(walls), statistics.median(cpus)),
    )


@dataclass
class Row:
    measure: str
    reseau: Time
    anchor_name: str
    anchor: Time | None
    goal: str
    ratio: tuple[float, float] | None = None  # paired (see ``paired``), else None

    @classmethod
    def of(cls, measure: str, pair: Pair, anchor_name: str, goal: str) -> Row:
        return cls(measure, pair.a, anchor_name, pair.b, goal, pair.ratio)


@dataclass
class Team:
    """A generated repository kept until the end of the run, for the paired growth."""

    base: Path
    team: Path
    env: dict[str, str]
    cli: list[str]
    ids: list[str]


def one_person(t: Team) -> dict[str, Probe]:
    """The commands that touch one person (whose cost must not grow with N)."""
    cli, count = t.cli, iter(range(10**6))
    return {
        "person add (one commit)": Probe(
            [*cli, "person", "add", "--family-name", "X", "--given-name", "Y", "--force"],
            t.team,
            t.env,
        ),
        "plan action add (one commit)": Probe(
            lambda: (
                [*cli, "plan", "action", "add", t.ids[1], f"Bench {next(count)}"]
                + ["--by", "person"]
            ),
            t.team,
            t.env,
        ),
        "concertation record (one commit)": Probe(
            lambda: (
                [*cli, "concertation", "record", t.ids[2], "--date", "2026-11-27"]
                + ["--summary", f"Bench {next(count)}", "--person-present"]
            ),
            t.team,
            t.env,
        ),
        "person show": Probe([*cli, "person", "show", t.ids[0]], t.team, t.env),
    }


def growth(small: Team, large: Team, runs: int) -> dict[str, float]:
    """Processor time at the largest N over the smallest, for each command that touches
    one person: the two repositories in turn, the ratio taken pair by pair."""
    at_small, at_large = one_person(small), one_person(large)
    return {name: paired(at_large[name], at_small[name], runs).ratio[1] for name in at_small}


class PassStore:
    """A `pass` store of the same size, with a throwaway gpg key (when both are installed)."""

    def __init__(self, base: Path, env: dict[str, str]) -> None:
        self.home = base / "gnupg"
        self.home.mkdir(mode=0o700)
        self.store = base / "password-store"
        self.env = {**env, "GNUPGHOME": str(self.home), "PASSWORD_STORE_DIR": str(self.store)}

    def fill(self, sources: list[Path]) -> None:
        run = lambda *a: subprocess.run(a, env=self.env, check=True, capture_output=True)  # noqa: E731
        run(
            "gpg",
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            "bench@example.org",
            "default",
            "default",
            "never",
        )
        run("pass", "init", "bench@example.org")
        run("pass", "git", "init")
        plain = self.store / "persons"
        plain.mkdir()
        for source in sources:  # encrypted in one gpg process, then committed once
            shutil.copy(source, plain / source.stem)
        names = [str(plain / s.stem) for s in sources]
        for i in range(0, len(names), 500):
            run(
                "gpg",
                "--batch",
                "--yes",
                "-r",
                "bench@example.org",
                "--encrypt-files",
                *names[i : i + 500],
            )
        for name in names:
            os.unlink(name)
        run("git", "-C", str(self.store), "add", "-A")
        run(*QUIET_GIT, "-C", str(self.store), "commit", "-qm", "fill")
        packed(self.store)


RENDER_NOTE = (
    "render all's anchor: one Python process that loads every file with libyaml's C loader "
    "and renders every document render all makes from a template (plans, network sheets, "
    "invitations and their .ics text, minutes, index, figures) with reseau's own view data "
    "and Jinja environment (bench/render_anchor.py); it leaves out the ecomap pictures "
    "(drawn by Graphviz, not a template), git, the derived caches and writing the files, "
    "and times itself from after Python's start-up"
)


def _warm(cli: list[str], team: Path, env: dict[str, str]) -> list[str]:
    """Fill the derived index and caches, as a team's working copy has them."""
    warm = [*cli, "status", "--json"]
    subprocess.run(warm, cwd=team, env=env, check=True, capture_output=True)  # the index
    subprocess.run([*cli, "check"], cwd=team, env=env, capture_output=True)  # and the cache
    return warm


def render_row(
    cli: list[str], py: str, base: Path, team: Path, env: dict[str, str], runs: int
) -> Row:
    """`render all --format html` (whole process) beside its anchor, medians of ``runs``."""
    out = base / "out"
    reseau = timed([*cli, "render", "all", "--format", "html", "--out", str(out)], team, env, runs)
    walls, cpus = [], []
    for _ in range(runs):
        LOADS.append(os.getloadavg()[0])
        found = base / "anchor.json"
        anchor = [py, str(ROOT / "bench" / "render_anchor.py"), str(team), str(found)]
        subprocess.run(anchor, cwd=team, env=env, check=True, capture_output=True)
        measured = json.loads(found.read_text())
        walls.append(measured["wall"])
        cpus.append(measured["cpu"])
    same = Time(statistics.median(walls), statistics.median(cpus))
    return Row(
        "render all --format html",
        reseau,
        "the same templates by Jinja2 (1 process)",
        same,
        "≤ 2×",
    )


def measure(
    n: int, runs: int, *, use_pass: bool, render: bool, only: str | None = None
) -> tuple[list[Row], list[str], Team]:
    """Time every measure at N persons; the repository is kept (the caller removes
    ``Team.base``) for the growth, timed once every size has been."""
    base = Path(tempfile.mkdtemp(prefix="reseau-bench-"))
    team = base / "team"
    notes = []
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
        "RESEAU_TODAY": "2026-11-28",
        "XDG_CACHE_HOME": str(base / "cache"),
    }
    # As installed by pip: every module compiled once (a shell that forbids .pyc files
    # would make each run compile reseau's sources again).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    py = sys.executable
    # The command users run: the console script pip installed beside this Python.
    script = Path(py).with_name("reseau")
    cli = [str(script)] if script.exists() else [py, "-m", "reseau_cli"]
    import reseau_cli

    package = str(Path(reseau_cli.__file__).parent)
    subprocess.run([py, "-m", "compileall", "-q", package], env=env, check=True)
    try:
        subprocess.run([*cli, "init", str(team)], env=env, check=True, capture_output=True)
        ids = generate(team, n)
        subprocess.run(["git", "add", "-A"], cwd=team, check=True)
        subprocess.run([*QUIET_GIT, "commit", "-qm", "bench"], cwd=team, env=env, check=True)
        packed(team)
        size = sum(p.stat().st_size for p in (team / "persons").iterdir()) // n
        notes.append(f"{n} persons, {size / 1024:.1f} KB each on average, median of {runs} runs")
        env["RESEAU_REPO"] = str(team)
        kept = Team(base, team, env, cli, ids)
        rows: list[Row] = []
        if only == "render":
            _warm(cli, team, env)
            rows.append(render_row(cli, py, base, team, env, runs))
            notes.append(RENDER_NOTE)
            return rows, notes, kept
        rows += _warm_rows(kept, runs, use_pass, notes)
        rows += _cold_rows(kept, runs)
        rows.append(
            Row.of(
                "reseau --help",
                paired(
                    Probe([*cli, "--help"], team, env), Probe([py, "-c", "pass"], team, env), runs
                ),
                "python -c pass",
                "—",
            )
        )
        if render:
            rows.append(render_row(cli, py, base, team, env, 1))
            notes.append(RENDER_NOTE)
        return rows, notes, kept
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise


def _warm_rows(t: Team, runs: int, use_pass: bool, notes: list[str]) -> list[Row]:
    """The commands a coordinator runs all day, each in turn with its anchor."""
    team, env, cli = t.team, t.env, t.cli
    git_status = Probe(["git", "status", "--porcelain"], team, env)
    counter = iter(range(10**6))

    def git_commit() -> list[str]:
        (team / "notes.txt").write_text(str(next(counter)))
        return ["sh", "-c", "git add notes.txt && git commit -qm note"]

    anchors = {
        "write": ("git add && git commit", Probe(git_commit, team, env)),
        "show": ("git status", git_status),
    }
    if use_pass and shutil.which("pass") and shutil.which("gpg"):
        store_ = PassStore(t.base, env)
        store_.fill(sorted((team / "persons").iterdir()))
        words = iter(range(10**6))
        insert = Probe(
            lambda: ["sh", "-c", f"echo secret | pass insert -e bench/new{next(words)}"],
            team,
            store_.env,
        )
        show = Probe(["pass", "show", f"persons/{t.ids[0]}"], team, store_.env)
        anchors = {
            "write": ("pass insert (with its commit)", insert),
            "show": ("pass show", show),
        }
    else:
        notes.append("pass or gpg is not installed (or --no-pass): their column is left out")
    warm = _warm(cli, team, env)
    rows = []
    for name, probe in one_person(t).items():
        kind, goal = ("show", "≤ 2×") if name == "person show" else ("write", "≤ 1.5×")
        anchor_name, anchor = anchors[kind]
        rows.append(Row.of(name, paired(probe, anchor, runs), anchor_name, goal))
    for name, cmd in [
        ("status, warm", warm),
        ("person list, warm", [*cli, "person", "list"]),
        ("check, warm", [*cli, "check"]),
        ("intervenant show (caseload)", [*cli, "intervenant", "show", "i-0007"]),
    ]:
        rows.append(
            Row.of(name, paired(Probe(cmd, team, env), git_status, runs), "git status", "≤ 4×")
        )
    grep = Probe(["git", "grep", "-i", "-c", WORD], team, env)
    found = paired(Probe([*cli, "find", WORD, "--json"], team, env), grep, runs)
    rows.append(Row.of(f"find {WORD}", found, "git grep -i", "≤ 4×"))
    return rows


def _cold_rows(t: Team, runs: int) -> list[Row]:
    """Cold commands, each on a fresh clone, beside one process doing the least work."""
    team, env, cli, base, py = t.team, t.env, t.cli, t.base, sys.executable
    clones = iter(range(10**6))

    # Cold `status` and its floor sit near their goal: the median of COLD_RUNS each
    # (a fresh clone every run), where one run could land on either side by chance.
    def cold(command: list[str], runs: int = 1) -> Time:
        def once() -> tuple[float, float]:
            clone = base / f"clone-{next(clones)}"
            subprocess.run(["git", "clone", "-q", str(team), str(clone)], check=True)
            try:
                return _once(Probe(command, clone, {**env, "RESEAU_REPO": str(clone)}))
            finally:
                shutil.rmtree(clone, ignore_errors=True)

        return _median([once() for _ in range(runs)])

    floor_code = (
        "import sys, yaml, os\n"
        "L = yaml.CSafeLoader\n"
        "d = sys.argv[1]\n"
        "for f in os.listdir(d):\n"
        "    with open(os.path.join(d, f), encoding='utf-8') as h: yaml.load(h, Loader=L)\n"
    )
    floor = timed([py, "-c", floor_code, str(team / "persons")], team, env, COLD_RUNS)
    # The same, each file validated by jsonschema (the reference), its validator built once.
    validate_code = (
        "import sys, os, json, yaml\n"
        "from jsonschema import Draft202012Validator as V\n"
        "schema = json.load(open(sys.argv[2], encoding='utf-8'))\n"
        "check = V(schema, format_checker=V.FORMAT_CHECKER)\n"
        "L = yaml.CSafeLoader\n"
        "d = sys.argv[1]\n"
        "for f in os.listdir(d):\n"
        "    with open(os.path.join(d, f), encoding='utf-8') as h:\n"
        "        for error in check.iter_errors(yaml.load(h, Loader=L)): pass\n"
    )
    schema_file = str(ROOT / "schemas" / "person.schema.json")
    validate_floor = timed(
        [py, "-c", validate_code, str(team / "persons"), schema_file], team, env, 1
    )
    return [
        Row(
            "status after a fresh clone (cold)",
            cold([*cli, "status", "--json"], COLD_RUNS),
            "C-loader floor (1 process)",
            floor,
            "≤ 0.7×",
        ),
        Row(
            "check after a fresh clone (cold)",
            cold([*cli, "check"]),
            "load + validate floor (1 process)",
            validate_floor,
            "≤ 0.5×",
        ),
    ]


def table(results: dict[int, list[Row]], grown: dict[str, float] | None = None) -> list[str]:
    """Markdown: each measure's wall and processor time at each N beside its anchor's
    (timed in the same run, at the same N, in turn with it), the ratios (wall; processor)
    and the goal; with several N, how the processor time grew from the smallest to the
    largest: paired (``growth``) for the commands that touch one person, else the ratio of
    the two medians."""
    sizes = sorted(results)
    grown = grown or {}
    by_name = {n: {row.measure: row for row in results[n]} for n in sizes}
    names = list(dict.fromkeys(row.measure for n in sizes for row in results[n]))
    head = ["measure", *(f"reseau N={n}, ms wall / cpu" for n in sizes), "anchor"]
    head += [f"anchor N={n}, ms wall / cpu" for n in sizes]
    head += [f"ratio N={n}, wall; cpu" for n in sizes] + ["goal"]
    if len(sizes) > 1:
        head.append(f"growth {sizes[0]}→{sizes[-1]}, cpu")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in names:
        rows = [by_name[n].get(name) for n in sizes]
        known = next(r for r in rows if r is not None)
        cells = [name, *(_ms(r.reseau) if r else "—" for r in rows), known.anchor_name]
        cells += [_ms(r.anchor) if r and r.anchor else "—" for r in rows]
        for r in rows:
            if r is None or r.anchor is None:
                cells.append("—")
            else:
                wall, cpu = r.ratio or (r.reseau / r.anchor)
                cells.append(f"{wall:.1f}×; {cpu:.1f}×")
        cells.append(known.goal)
        if len(sizes) > 1:
            first, last = rows[0], rows[-1]
            if name in grown:
                cells.append(f"{grown[name]:.2f}× (paired)")
            elif first is None or last is None:
                cells.append("—")
            else:
                cells.append(f"{last.reseau.cpu / max(first.reseau.cpu, 0.001):.1f}×")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _ms(value: Time) -> str:
    return f"{value.wall:.0f} / {value.cpu:.0f}"


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    git = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.split()[-1]
    during = ""
    if LOADS:
        ordered = sorted(LOADS)
        median = ordered[len(ordered) // 2]
        during = (
            f"; 1-minute load average during the run: min {ordered[0]:.1f}, median "
            f"{median:.1f}, max {ordered[-1]:.1f} (2 cores: above 2, commands waited for a core)"
        )
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, git {git}{during}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="*", type=int, default=[1000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--record", type=Path, help="write the results as Markdown to FILE")
    parser.add_argument(
        "--render", action="store_true", help="time `render all` too, at the smallest N (long)"
    )
    parser.add_argument("--no-pass", action="store_true", help="leave `pass` out")
    parser.add_argument(
        "--only",
        choices=["render"],
        help="time only this measure and its anchor (render: `render all` at every N)",
    )
    args = parser.parse_args()
    results: dict[int, list[Row]] = {}
    notes: list[str] = []
    teams: dict[int, Team] = {}
    grown: dict[str, float] = {}
    started = time.perf_counter()
    try:
        for n in sorted(args.n):
            # `render all` takes minutes: timed at the smallest size only (the 1,000).
            render = args.render and n == min(args.n)
            results[n], found, teams[n] = measure(
                n, args.runs, use_pass=not args.no_pass, render=render, only=args.only
            )
            notes += found
            if args.record:  # after each size: a long run cut short keeps what it measured
                record(args.record, args, notes, table(results))
        if len(teams) > 1 and args.only is None:
            small, large = teams[min(teams)], teams[max(teams)]
            grown = growth(small, large, 2 * args.runs)
            notes.append(
                f"growth of the commands that touch one person: {2 * args.runs} runs each at "
                f"{min(teams)} and {max(teams)} persons in turn, after every size was timed, "
                "the median of the ratios pair by pair"
            )
    finally:
        for team in teams.values():
            shutil.rmtree(team.base, ignore_errors=True)
    lines = table(results, grown)
    if args.record:
        record(args.record, args, notes, lines)
    print("\n".join(notes + [""] + lines))
    print(f"\n{machine()}; {time.perf_counter() - started:.0f} s in all")


def record(target: Path, args: argparse.Namespace, notes: list[str], lines: list[str]) -> None:
    """The results so far as Markdown, with the command, the machine and the date."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    flags = f" --runs {args.runs}" + (" --render" if args.render else "")
    target.write_text(
        "# Recorded benchmark results\n\n"
        f"`python bench/bench.py {' '.join(map(str, args.n))}{flags}`, {stamp}.\n\n"
        f"Machine: {machine()}.\n\n"
        + "\n".join(f"- {note}" for note in notes)
        + "\n\n"
        + "\n".join(lines)
        + "\n"
    )


if __name__ == "__main__":
    main()
