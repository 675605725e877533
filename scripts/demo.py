"""`make demo`: build a demo team repository from examples/ and run a realistic scenario.

Everything happens in a new temporary folder: a bare repository plays the team's git
server, and a clone is the coordinator's working copy. The demo sets its own git
identities in that repository, so it works on a machine with no git configuration.
What the coordinators type (names, objectives, notes: French, as the example team
works in French) is in examples/demo.yaml; the terminal speaks the team's language
unless RESEAU_LANG says otherwise, and the plan is rendered once in each language.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "team"
TODAY = "2026-11-28"  # the date the example files were written for
WORDS = yaml.safe_load((ROOT / "examples" / "demo.yaml").read_text(encoding="utf-8"))
COORDINATORS = [(name, email) for name, email in WORDS["coordinators"]]
SIMONE, MARCEL = WORDS["simone"], WORDS["marcel"]
LANGUAGES = ("en", "fr", "nl")  # the languages reseau ships: the plan is rendered in each


def git(cwd: Path, *args: str, who: tuple[str, str] | None = None) -> str:
    env = dict(os.environ)
    if who:
        env.update(GIT_AUTHOR_NAME=who[0], GIT_AUTHOR_EMAIL=who[1])
        env.update(GIT_COMMITTER_NAME=who[0], GIT_COMMITTER_EMAIL=who[1])
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def reseau(team: Path, *args: str, show: bool = True, check: bool = True) -> str:
    """Run the real CLI (as a user would) and echo it."""
    env = {**os.environ, "RESEAU_TODAY": TODAY, "RESEAU_REPO": str(team), "COLUMNS": "110"}
    for name in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
    ):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "reseau_cli", *args], env=env, capture_output=True, text=True
    )
    if show:
        print(f"\n$ reseau {' '.join(_quote(a) for a in args)}")
        for line in (done.stdout + done.stderr).rstrip().splitlines():
            print(f"  {line}")
    if check and done.returncode != 0:
        sys.exit(f"demo failed at `reseau {' '.join(args)}` (exit {done.returncode})")
    return done.stdout.strip()


def _quote(arg: str) -> str:
    return f'"{arg}"' if (" " in arg or not arg) else arg


def build_team_repository(base: Path) -> Path:
    """A bare 'server' repository and a clone holding the examples, committed by three
    coordinators, as a team that has been working for a few months."""
    server = base / "server" / "reseau-sante-nord.git"
    server.mkdir(parents=True)
    git(server, "init", "--bare", "--quiet", "--initial-branch=main")
    team = base / "reseau-sante-nord"
    git(base, "clone", "--quiet", str(server), str(team))
    git(team, "config", "user.name", COORDINATORS[0][0])
    git(team, "config", "user.email", COORDINATORS[0][1])
    reseau(team, "init", str(team), "--team", WORDS["team"], show=False)
    shutil.copy(EXAMPLES / "reseau.yaml", team / "reseau.yaml")
    git(team, "commit", "--quiet", "-am", "settings: team address and phone", who=COORDINATORS[0])
    shutil.copytree(EXAMPLES / "intervenants", team / "intervenants")
    git(team, "add", "intervenants")
    git(team, "commit", "--quiet", "-m", "directory: import intervenants", who=COORDINATORS[1])
    (team / "persons").mkdir()
    for n, source in enumerate(sorted((EXAMPLES / "persons").glob("*.yaml"))):
        shutil.copy(source, team / "persons" / source.name)
        git(team, "add", f"persons/{source.name}")
        who = COORDINATORS[n % len(COORDINATORS)]
        git(team, "commit", "--quiet", "-m", f"{source.stem}: import", who=who)
    git(team, "push", "--quiet", "origin", "main")
    return team


def scenario(team: Path) -> tuple[str, str]:
    print("\n== The team's persons and the state of their files")
    reseau(team, "person", "list")
    reseau(team, "check")

    print("\n== A new referral arrives: Simone Peeters, 79, after a stroke")
    pid = reseau(
        team,
        "person",
        "add",
        "--family-name",
        "Peeters",
        "--given-name",
        "Simone",
        "--birth-date",
        "1947-03-08",
        "--situation",
        SIMONE["situation"],
    )
    reseau(team, "person", "show", pid)

    print("\n== Her network: the GP and the home nurse from the directory, her husband as carer")
    carer = SIMONE["carer"]
    for member in (
        *(["--id", ident, "--role", role] for ident, role in SIMONE["roles"].items()),
        ["--name", carer["name"], "--kind", "carer", "--role", carer["role"]]
        + ["--phone", carer["phone"]],
    ):
        reseau(team, "intervenant", "add", pid, *member)
    reseau(team, "coordinator", "lead", pid, "elise-marchal")
    reseau(team, "intervenant", "list", pid)

    print("\n== Her plan, in her words, and a synthesis meeting next week")
    home = reseau(
        team,
        "plan",
        "objective",
        "add",
        pid,
        SIMONE["home"],
        "--domain",
        "autonomy",
        "--priority",
    )
    respite = reseau(team, "plan", "objective", "add", pid, SIMONE["respite"], "--domain", "family")
    reseau(
        team,
        "plan",
        "action",
        "add",
        pid,
        SIMONE["nursing"],
        "--by",
        "karim-ouali",
        "--objective",
        home,
        "--start",
        "2026-11-30",
    )
    reseau(
        team,
        "plan",
        "action",
        "add",
        pid,
        SIMONE["day_care"],
        "--by",
        "elise-marchal",
        "--objective",
        respite,
        "--due",
        "2026-12-18",
    )
    meeting = reseau(
        team,
        "concertation",
        "plan",
        pid,
        "--date",
        "2026-12-04",
        "--time",
        "14:00",
        "--place",
        SIMONE["place"],
        "--kind",
        "synthesis",
        "--organiser",
        "elise-marchal",
        "--invite",
        "anne-lambert",
        "--invite",
        "karim-ouali",
        "--invite",
        "jean-peeters",
        *(arg for item in SIMONE["agenda"] for arg in ("--agenda", item)),
    )
    reseau(team, "concertation", "list", pid)

    print("\n== Marcel Janssens, back home after hospital (case 1): a meeting at his home today")
    reseau(
        team,
        "concertation",
        "record",
        "p-m4rc3l",
        "--date",
        TODAY,
        "--kind",
        "coordination",
        "--place",
        MARCEL["place"],
        "--participant",
        "karim-ouali",
        "--participant",
        "luc-janssens",
        "--participant",
        "elise-marchal",
        "--absent",
        "anne-lambert",
        "--person-present",
        "--summary",
        MARCEL["summary"],
        "--decision",
        MARCEL["decision"],
        "--action",
        MARCEL["action"],
        "--by",
        "luc-janssens",
        "--due",
        "2026-12-12",
        "--next",
        "2027-01-08",
    )
    reseau(
        team,
        "plan",
        "action",
        "set",
        "p-m4rc3l",
        "a-4pa3",
        "--status",
        "cancelled",
        "--note",
        MARCEL["cancelled_note"],
    )
    print("\n== Six weeks after discharge: Marcel's situation evaluated again")
    aggir = ["coherence=A", "orientation=B", "toilette=B", "habillage=B", "alimentation=A"]
    aggir += ["elimination=A", "transferts=A", "deplacements-interieur=A"]
    reseau(
        team,
        "evaluation",
        "add",
        "p-m4rc3l",
        "--by",
        "karim-ouali",
        "--domain",
        "autonomy=partly-met",
        "--need",
        MARCEL["need"],
        "--domain",
        "housing=met",
        "--domain",
        "daily-life=met",
        "--domain",
        "health=met",
        "--instrument",
        "aggir",
        *[arg for item in aggir for arg in ("--item", item)],
    )
    reseau(team, "evaluation", "show", "p-m4rc3l")
    reseau(team, "plan", "review", "p-m4rc3l", "--note", MARCEL["review"])
    reseau(team, "person", "show", "p-m4rc3l")

    print("\n== What needs attention across all persons")
    reseau(team, "status")

    print("\n== An accompaniment ends")
    reseau(team, "person", "close", "p-c3d8mr", "--reason", WORDS["closing_reason"])
    reseau(team, "person", "list", "--all")

    print("\n== The history, from git (ids only, never names)")
    reseau(team, "log", "-n", "6")
    reseau(team, "log", "p-m4rc3l")
    return pid, meeting


def teamwork(team: Path, base: Path) -> Path:
    """A second coordinator works offline in her own clone; both sync through the server."""
    server = base / "server" / "reseau-sante-nord.git"
    colleague = base / "nora-clone"
    git(base, "clone", "--quiet", str(server), str(colleague))
    git(colleague, "config", "user.name", COORDINATORS[2][0])
    git(colleague, "config", "user.email", COORDINATORS[2][1])
    print(f"\n== Working as a team: {COORDINATORS[2][0]} works in her own clone ({colleague})")
    print("   Both change Marcel's file on the same day; reseau merges them field by field.")
    reseau(
        colleague,
        "intervenant",
        "add",
        "p-m4rc3l",
        "--id",
        "lea-fontaine",
        "--role",
        MARCEL["occupational_therapist"],
    )
    reseau(
        colleague,
        "plan",
        "action",
        "set",
        "p-m4rc3l",
        "a-k1ne",
        "--note",
        MARCEL["balance_note"],
    )
    reseau(team, "sync")
    reseau(colleague, "sync")
    reseau(team, "sync")
    reseau(team, "log", "p-m4rc3l", "-n", "5")
    reseau(team, "check")
    return colleague


def documents(team: Path, base: Path, pid: str, meeting: str) -> Path:
    """The documents that leave the terminal: plans, invitations, minutes, network sheets."""
    out = base / "documents"
    print("\n== Documents for the professionals and families")
    reseau(
        team,
        "render",
        "invitation",
        pid,
        meeting,
        "--format",
        "ics",
        "-o",
        str(out / "invitation.ics"),
    )
    reseau(team, "render", "minutes", "p-m4rc3l")
    reseau(
        team,
        "render",
        "plan",
        "p-m4rc3l",
        "--format",
        "pdf",
        "-o",
        str(out / "plan-p-m4rc3l.pdf"),
        check=False,
    )
    # The ecomap needs Graphviz's programs (Debian: graphviz); without them reseau says so.
    reseau(
        team,
        "render",
        "ecomap",
        "p-m4rc3l",
        "--history",
        "-o",
        str(out / "ecomap-p-m4rc3l.svg"),
        check=False,
    )
    reseau(team, "render", "all", "--format", "html", "--out", str(out / "all"))
    return out


def audiences(team: Path, out: Path) -> dict[str, Path]:
    """The README's worked example of consent: Marcel shares with his GP, his nurse and
    the home-help service, but not his situation with the service; his son Luc gets the
    family version (no health objectives); Marcel gets his own plan, easy to read."""
    folder = out / "consent"
    versions = {
        "internal version (the team's)": folder / "plan-p-m4rc3l-internal.html",
        "family version (for Luc, his son)": folder / "plan-p-m4rc3l-luc-janssens.html",
        "easy-to-read version (for Marcel)": folder / "plan-p-m4rc3l-marcel.html",
    }
    internal, family, own = versions.values()
    print("\n== Consent and sharing: Marcel says who may receive what")
    reseau(
        team,
        "consent",
        "give",
        "p-m4rc3l",
        "--how",
        "written",
        "--to",
        "professional",
        "--to",
        "service",
        "--to",
        "luc-janssens",
        "--withhold",
        "situation:service",
        "--withhold",
        "health:carer",
    )
    reseau(team, "consent", "show", "p-m4rc3l")
    print("\n== The same plan for three audiences")
    reseau(team, "render", "plan", "p-m4rc3l", "--format", "html", "-o", str(internal))
    render_for = ("render", "plan", "p-m4rc3l", "--format", "html", "--for")
    reseau(team, *render_for, "luc-janssens", "--send-log", "-o", str(family))
    reseau(team, *render_for, "person", "-o", str(own))
    print("   A recipient outside his consent is refused, and nothing is written:")
    reseau(team, *render_for, "rosa-martinez", check=False)
    print("   Who received what (GDPR art. 15), from the file itself:")
    reseau(team, "consent", "log", "p-m4rc3l")
    return versions


def languages(team: Path, out: Path) -> dict[str, Path]:
    """Marcel's plan in each language reseau ships (the team's is French), whatever the
    terminal speaks: `--lang` on render."""
    print("\n== One plan in each language reseau speaks (the team's is French)")
    plans = {lang: out / "languages" / f"plan-p-m4rc3l-{lang}.html" for lang in LANGUAGES}
    for lang, plan in plans.items():
        reseau(
            team, "render", "plan", "p-m4rc3l", "--lang", lang, "--format", "html", "-o", str(plan)
        )
    return plans


SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'


def _standalone(html: str, pattern: str) -> str:
    """The first inline ``<svg>`` matching ``pattern`` in ``html``, as an SVG file."""
    found = re.search(pattern, html, re.S)
    if found is None:
        sys.exit(f"--update-docs: no picture matching {pattern!r} in the rendered page")
    svg = re.sub(r' data-action="[^"]*"', "", found.group(0))  # random ids: stable files
    return svg.replace("<svg ", f"<svg {SVG_NS} ", 1) + "\n"


def update_docs(team: Path, out: Path) -> None:
    """The README's pictures, from the demo's Marcel and team: docs/img/."""
    img = ROOT / "docs" / "img"
    img.mkdir(parents=True, exist_ok=True)
    ecomap = out / "ecomap-p-m4rc3l.svg"
    if ecomap.is_file():  # Graphviz installed
        shutil.copyfile(ecomap, img / "ecomap.svg")
    else:
        print("note: no Graphviz, docs/img/ecomap.svg left as it was")
    plan = reseau(team, "render", "plan", "p-m4rc3l", "--format", "html", show=False)
    (img / "timeline.svg").write_text(
        _standalone(plan, r'<svg class="timeline".*?</svg>'), encoding="utf-8"
    )
    period = ("--from", "2025-12-01", "--to", TODAY)
    stats = reseau(team, "stats", *period, "--format", "html", show=False)
    (img / "stats.html").write_text(stats + "\n", encoding="utf-8")
    (img / "stats.svg").write_text(
        _standalone(stats, r'<svg class="chart bar".*?</svg>'), encoding="utf-8"
    )
    print(f"\nUpdated the README's pictures in {img}")


def main() -> None:
    if not EXAMPLES.is_dir():
        sys.exit(f"examples not found in {EXAMPLES}")
    base = Path(tempfile.mkdtemp(prefix="reseau-demo-"))
    print(f"Building a demo team repository in {base} (today is {TODAY} for the demo)")
    team = build_team_repository(base)
    pid, meeting = scenario(team)
    colleague = teamwork(team, base)
    out = documents(team, base, pid, meeting)
    versions = audiences(team, out)
    plans = languages(team, out)
    if "--update-docs" in sys.argv[1:]:
        update_docs(team, out)
    print(
        "\nDone. Where things are:\n"
        f"  team repository (a coordinator's clone): {team}\n"
        f"  rendered documents: {out} (open {out / 'all' / 'index.html'} in a browser)\n"
        + "".join(f"  Marcel's plan, {what}: {path}\n" for what, path in versions.items())
        + "".join(f"  Marcel's plan in {lang}: {path}\n" for lang, path in plans.items())
        + f"  the team's git server (bare repository): {base / 'server' / 'reseau-sante-nord.git'}\n"
        f"  a colleague's clone: {colleague}\n"
        f"Try it yourself:  export RESEAU_REPO={team} RESEAU_TODAY={TODAY}\n"
        f"                  {ROOT / '.venv' / 'bin' / 'reseau'} person list\n"
        f"Remove it all with: rm -rf {base}"
    )


if __name__ == "__main__":
    main()
