"""Property-based campaign against the real `reseau` command (issue 19, "Done means").

Two campaigns run the installed `reseau` in a subprocess on a real git repository:

* arguments: every write command with values drawn from valid ones and hostile ones
  (control characters, escape sequences, trailing newlines, bytes that are not UTF-8,
  100 kB strings, dates out of range, ids that could escape);
* files: a hostile data file, folder or template planted as a colleague's clone could
  (YAML aliases, sizes, integers, deep nesting, encodings, control characters,
  symbolic links, named pipes), then a read or write command run on it.

Every answer must come without a traceback, with exit 0, or 1/2 and one clear line
(a usage error too: `error: …; usage: … (… -h for help)`), leave files and git exactly as
they were when it refuses, never show a file from outside the repository, and come
within ``ANSWER_SECONDS``. Each campaign prints its figures. The default run is short
and derandomised for CI; ``RESEAU_CAMPAIGN=N`` runs N examples of each, at random.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TODAY

pytestmark = pytest.mark.slow

CAMPAIGN = int(os.environ.get("RESEAU_CAMPAIGN", "0") or 0)
ARGUMENT_EXAMPLES = CAMPAIGN or 20
FILE_EXAMPLES = CAMPAIGN or 12
ANSWER_SECONDS = 8.0  # a loaded CI machine; the figures print the slowest answer
SECRET = "SECRET-OUTSIDE-THE-REPOSITORY"
RESEAU = Path(sys.executable).with_name("reseau")
SETTINGS = settings(
    max_examples=1,  # replaced below
    deadline=None,
    database=None,
    derandomize=not CAMPAIGN,
    suppress_health_check=list(HealthCheck),
)


# -- the repository and how the command runs ---------------------------------------------
class Team:
    """A real repository with a person, two intervenants in the network, an objective,
    an action and a planned concertation, and the environment `reseau` runs in."""

    def __init__(self, base: Path) -> None:
        self.base = base
        home = base / "home"
        home.mkdir()
        (home / ".gitconfig").write_text("")
        self.root = base / "team"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Fuzz",
            "GIT_AUTHOR_EMAIL": "fuzz@example.org",
            "GIT_COMMITTER_NAME": "Fuzz",
            "GIT_COMMITTER_EMAIL": "fuzz@example.org",
            "RESEAU_TODAY": TODAY,
            "RESEAU_REPO": str(self.root),
            "EDITOR": "false",
            "LANG": "C.UTF-8",
            "RESEAU_LANG": "en",  # messages in English, whatever the team's language
        }
        self.run_ok("init", str(self.root), "--team", "Fuzz")
        self.person = self.run_ok("person", "add", "--family-name", "Janssens",
                                  "--given-name", "Marcel", "--since", "2026-01-05")  # fmt: skip
        for name in ("Paul Martin", "Sara Ben", "Léa Part"):
            self.run_ok("intervenant", "add", self.person, "--name", name, "--since", "2026-01-10")
        self.intervenants = ["paul-martin", "sara-ben"]
        # What `person close` and `intervenant end` may take away, so that the other
        # commands keep a person and a network to work on.
        self.closable = self.run_ok("person", "add", "--family-name", "Peeters",
                                    "--given-name", "Anna")  # fmt: skip
        self.leaving = "lea-part"
        self.objective = self.run_ok("plan", "objective", "add", self.person, "Rester chez moi")
        self.action = self.run_ok("plan", "action", "add", self.person, "Aide",
                                  "--by", "paul-martin")  # fmt: skip
        self.concertation = self.run_ok("concertation", "plan", self.person, "--date", "2026-12-10")

    def run(self, args: list[bytes], *, cwd: Path | None = None) -> tuple[int, str, str, float]:
        started = time.monotonic()
        done = subprocess.run(
            [os.fsencode(RESEAU), *args],
            env=self.env,
            cwd=cwd or self.base,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
        took = time.monotonic() - started
        out = done.stdout.decode("utf-8", "backslashreplace")
        err = done.stderr.decode("utf-8", "backslashreplace")
        return done.returncode, out, err, took

    def run_ok(self, *args: str) -> str:
        code, out, err, _ = self.run([os.fsencode(a) for a in args])
        assert code == 0, err
        return out.strip()

    def state(self) -> tuple[Any, ...]:
        """Every file under the repository (bytes, links, kinds) and git's view of it."""
        files = {}
        for folder, dirs, names in os.walk(self.root):
            if ".git" in dirs and Path(folder) == self.root:
                dirs.remove(".git")
            for name in sorted(dirs + names):
                path = Path(folder) / name
                rel = path.relative_to(self.root).as_posix()
                if path.is_symlink():
                    files[rel] = ("link", os.readlink(path))
                elif path.is_file():
                    files[rel] = ("file", path.read_bytes())
                else:
                    files[rel] = ("other", None)
        git = subprocess.run(
            ["git", "status", "--porcelain", "--branch", "-uall"],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            check=True,
        ).stdout
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=self.root, env=self.env, capture_output=True
        ).stdout
        return files, git, head


class Figures:
    """What a campaign tried and how it went, printed at the end."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.counts: Counter[str] = Counter()
        self.slowest = (0.0, "")

    def answer(self, args: list[bytes], took: float) -> None:
        self.counts["tried"] += 1
        if took > self.slowest[0]:
            shown = b" ".join(a[:30] for a in args[:4]).decode("utf-8", "backslashreplace")
            self.slowest = (took, shown)

    def line(self) -> str:
        c = self.counts
        return (
            f"{self.name}: {c['tried']} tried, {c['accepted']} accepted, "
            f"{c['refused']} refused cleanly, {c['tracebacks']} tracebacks, "
            f"{c['multi-line']} multi-line messages, {c['changed on refusal']} "
            f"changed on refusal, {c['outside read']} outside reads, "
            f"slowest answer {self.slowest[0]:.2f} s ({self.slowest[1]})"
        )


@pytest.fixture(scope="module")
def fuzz_team(tmp_path_factory: pytest.TempPathFactory) -> Team:
    return Team(tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(scope="module")
def report(request: pytest.FixtureRequest) -> Iterator[list[Figures]]:
    found: list[Figures] = []
    yield found
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    for figures in found:
        if reporter is not None and capture is not None:
            with capture.global_and_fixture_disabled():
                reporter.write_line(f"\n[fuzz] {figures.line()}")


def judge(figures: Figures, args: list[bytes], answer: tuple[int, str, str, float],
          changed: bool) -> None:  # fmt: skip
    """Record one answer in the figures, then hold it to the rules."""
    code, out, err, took = answer
    figures.answer(args, took)
    lines = [line for line in err.splitlines() if line.strip()]
    shown = f"args {args!r}\nexit {code}\nstdout {out[:2000]}\nstderr {err[:2000]}"
    # `check` prints its problems on stdout and one summary line on stderr.
    one_line = len(lines) == 1 and (lines[0].startswith("error: ") or args[:1] == [b"check"])
    clean = one_line if code in (1, 2) else code == 0
    figures.counts["tracebacks"] += "Traceback" in err
    figures.counts["outside read"] += SECRET in out or SECRET in err
    figures.counts["accepted"] += code == 0
    figures.counts["refused"] += code in (1, 2) and clean
    figures.counts["multi-line"] += code in (1, 2) and not clean
    figures.counts["changed on refusal"] += code != 0 and changed
    assert "Traceback" not in err, shown
    assert SECRET not in out + err, shown
    assert code in (0, 1, 2) and clean, shown
    if code != 0:
        assert not changed, "files or git changed on refusal\n" + shown
        assert "\x1b" not in err and "\r" not in err, shown
    assert "\x1b" not in out, shown
    assert took < ANSWER_SECONDS, shown


# -- campaign 1: arguments of every write command ---------------------------------------------
HOSTILE_TEXT = [
    "\x1b]0;pwned\x07\x1b[2J",
    "a\nb",
    "a\r",
    "trailing\n",
    "\u202eevil",
    "\x00nul",
    "\x9bcsi",
    "",
    " ",
    "-",
    "--",
    "../../etc/passwd",
    "'; rm -rf /",
    "{{ 7 * 7 }}",
    "<script>x</script>",
    "x" * 100_000,
]
HOSTILE_DATE = ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01", "2026-02-30",
                "2026-12-01\n", "2026-1-1", "٢٠٢٦-١٢-٠١", "tomorrow", "-1"]  # fmt: skip
HOSTILE_ID = ["evil\n", "../x", "A", "x" * 41, "p-\x1b[2J", "persons/x", ".", "-x", "é"]
NOT_UTF8 = [b"\xff\xfe", b"A\xc3(", b"\xed\xa0\x80", b"\x80" * 10]


def _texts() -> st.SearchStrategy[Any]:
    control = st.characters(min_codepoint=0, max_codepoint=0x9F)
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.text(max_size=30),
        st.text(alphabet=control, min_size=1, max_size=8),
        st.builds(lambda a, c, b: a + c + b, st.text(max_size=8), control, st.text(max_size=8)),
        st.sampled_from(NOT_UTF8),
    )


def _value(kind: str, team: Team) -> st.SearchStrategy[Any]:
    valid = {
        "name": st.sampled_from(["Marie", "Jean-Luc", "Ørsted", "O'Neil", "José María"]),
        "text": st.sampled_from(["Rester chez moi", "Deux lignes\net un\ttab", "Aide 3×/semaine"]),
        "date": st.dates(
            min_value=__import__("datetime").date(1950, 1, 1),
            max_value=__import__("datetime").date(2030, 12, 31),
        ).map(str),  # fmt: skip
        "id": st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True),
        "person": st.just(team.person),
        "closable": st.just(team.closable),
        "leaving": st.just(team.leaving),
        "intervenant": st.sampled_from(team.intervenants),
        "objective": st.just(team.objective),
        "action": st.just(team.action),
        "concertation": st.just(team.concertation),
        "time": st.sampled_from(["09:30", "14:00", "23:59"]),
        "phone": st.sampled_from(["+32 2 123 45 67", "0470/12.34.56"]),
        "email": st.sampled_from(["a@example.org"]),
        "kind": st.sampled_from(["professional", "carer", "service", "volunteer", "synthesis"]),
        "status": st.sampled_from(["planned", "ongoing", "done", "cancelled", "achieved"]),
        "lang": st.sampled_from(["fr", "en"]),
        "domain": st.sampled_from(["health", "housing", "other"]),
    }[kind]
    hostile = _texts()
    if kind in ("date",):
        hostile = st.one_of(st.sampled_from(HOSTILE_DATE), hostile)
    if kind in ("id", "person", "intervenant", "objective", "action", "concertation", "closable",
                "leaving"):  # fmt: skip
        hostile = st.one_of(st.sampled_from(HOSTILE_ID), hostile)
    if kind == "time":
        hostile = st.one_of(st.sampled_from(["14:00\n", "24:00", "9:5", "14h"]), hostile)
    return st.one_of(valid, valid, valid, valid, hostile)


# command words, positional kinds, {option: kind}
COMMANDS: list[tuple[list[str], list[str], dict[str, str]]] = [
    (["person", "add"], [], {"--family-name": "name", "--given-name": "name",
     "--birth-date": "date", "--id": "id", "--situation": "text", "--phone": "phone",
     "--address": "text", "--since": "date"}),
    (["person", "close"], ["closable"], {"--reason": "text", "--date": "date"}),
    (["intervenant", "add"], ["person"], {"--name": "name", "--id": "id", "--role": "text",
     "--profession": "text", "--organisation": "text", "--phone": "phone", "--email": "email",
     "--kind": "kind", "--address": "text", "--since": "date"}),
    (["intervenant", "end"], ["person", "leaving"], {"--date": "date", "--reason": "text"}),
    (["intervenant", "update"], ["intervenant"], {"--name": "name", "--phone": "phone",
     "--email": "email", "--organisation": "text", "--profession": "text", "--kind": "kind",
     "--address": "text", "--notes": "text"}),
    (["coordinator", "set"], ["person", "intervenant"], {"--date": "date", "--note": "text"}),
    (["coordinator", "unset"], ["person"], {"--date": "date", "--reason": "text"}),
    (["coordinator", "lead"], ["person", "intervenant"], {"--date": "date", "--note": "text"}),
    (["plan", "review"], ["person"], {"--date": "date", "--next": "date", "--note": "text"}),
    (["plan", "objective", "add"], ["person", "text"], {"--domain": "domain"}),
    (["plan", "objective", "set"], ["person", "objective"], {"--status": "status",
     "--note": "text", "--date": "date"}),
    (["plan", "action", "add"], ["person", "text"], {"--by": "intervenant", "--due": "date",
     "--start": "date", "--objective": "objective"}),
    (["plan", "action", "set"], ["person", "action"], {"--status": "status", "--due": "date",
     "--start": "date", "--by": "intervenant", "--note": "text"}),
    (["concertation", "plan"], ["person"], {"--date": "date", "--time": "time", "--place": "text",
     "--kind": "kind", "--organiser": "intervenant", "--invite": "intervenant",
     "--agenda": "text"}),
    (["concertation", "record"], ["person"], {"--date": "date", "--participant": "intervenant",
     "--other": "name", "--summary": "text", "--decision": "text", "--time": "time",
     "--place": "text", "--next": "date", "--coordinator": "intervenant"}),
    (["concertation", "cancel"], ["person", "concertation"], {"--reason": "text"}),
    (["init"], [], {"--team": "name", "--lang": "lang"}),
]  # fmt: skip


def _encode(value: Any) -> bytes:
    data = value if isinstance(value, bytes) else value.encode("utf-8", "surrogateescape")
    return data.replace(b"\x00", b"")  # no process can receive a NUL in an argument


@st.composite
def command_lines(draw: st.DrawFn, team: Team) -> list[bytes]:
    words, positional, options = draw(st.sampled_from(COMMANDS))
    args = [w.encode() for w in words]
    if words == ["init"]:
        args.append(os.fsencode(team.base / f"init-{draw(st.integers(0, 10**9))}"))
    for kind in positional:
        args.append(_encode(draw(_value(kind, team))))
    chosen = draw(st.lists(st.sampled_from(sorted(options)), max_size=4, unique=True))
    for option in chosen:
        args += [option.encode(), _encode(draw(_value(options[option], team)))]
    return args


def test_campaign_over_write_command_arguments(fuzz_team: Team, report: list[Figures]) -> None:
    figures = Figures("arguments of the write commands")
    report.append(figures)

    @settings(SETTINGS, max_examples=ARGUMENT_EXAMPLES)
    @given(st.data())
    def campaign(data: st.DataObject) -> None:
        args = data.draw(command_lines(fuzz_team))
        before = fuzz_team.state()
        target = Path(os.fsdecode(args[1])) if args[0] == b"init" else None
        existed = target is not None and target.exists()
        answer = fuzz_team.run(args)
        changed = fuzz_team.state() != before
        if target is not None and not existed:  # a refused init leaves no folder behind
            changed = changed or (answer[0] != 0 and target.exists())
        judge(figures, args, answer, changed)

    campaign()
    # Whatever was accepted was stored valid: the repository checks clean.
    code, out, err, _ = fuzz_team.run([b"check"])
    assert code == 0, out + err
    names = os.listdir(fuzz_team.root / "persons") + os.listdir(fuzz_team.root / "intervenants")
    assert all(n.isascii() and n.isprintable() for n in names), names
    assert figures.counts["tracebacks"] == 0


# -- campaign 2: hostile files ------------------------------------------------------------
def _person(ident: str, **fields: str) -> str:
    lines = ["format: 1", f"id: {ident}", "status: active", "identity:",
             "  family_name: Dupont", "  given_name: Jeanne"]  # fmt: skip
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def _bomb(depth: int, width: int) -> str:
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, depth):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


HOSTILE_FILES = st.one_of(
    st.builds(lambda d, w: ("content", _bomb(d, w)), st.integers(2, 10), st.integers(2, 10)),
    st.builds(
        lambda n: ("content", _person("p-hostile", situation="x" * n)),
        st.integers(1024 * 1024, 3 * 1024 * 1024),
    ),  # fmt: skip
    st.builds(lambda n: ("content", _person("p-hostile", opened="9" * n)), st.integers(19, 6000)),
    st.builds(
        lambda n: ("content", _person("p-hostile", situation="[" * n + "]" * n)),
        st.integers(40, 30000),
    ),  # fmt: skip
    st.builds(
        lambda n: ("content", _person("p-hostile", situation="{a: " * n + "}" * n)),
        st.integers(40, 1200),
    ),  # fmt: skip
    st.builds(
        lambda enc: ("bytes", _person("p-hostile", situation="é").encode(enc)),
        st.sampled_from(["utf-16", "utf-32", "latin-1"]),
    ),  # fmt: skip
    st.builds(lambda raw: ("bytes", raw), st.binary(min_size=1, max_size=200)),
    st.builds(
        lambda c: ("content", _person("p-hostile").replace("Dupont", f'"D\\x{c:02x}t"')),
        st.integers(0, 0x1F).filter(lambda c: c not in (9, 10)) | st.integers(0x7F, 0x9F),
    ),
    st.builds(
        lambda d: ("content", _person("p-hostile", opened=repr(d))),
        st.sampled_from(["9999-12-31", "0001-01-01", "1899-12-31", "2026-12-01\n"]),
    ),  # fmt: skip
    st.sampled_from(
        [
            ("link-file", ""),
            ("link-folder", ""),
            ("link-settings", ""),
            ("link-template", ""),
            ("fifo", ""),
            ("folder", ""),
        ]
    ),  # fmt: skip
)
READERS = [["check"], ["status"], ["person", "list"], ["person", "show", "p-hostile"],
           ["render", "plan", "p-hostile"], ["intervenant", "list"], ["plan", "show", "p-hostile"],
           ["concertation", "list", "p-hostile"], ["log", "-n", "3"],
           ["person", "close", "p-hostile", "--reason", "x"],
           ["person", "add", "--family-name", "A", "--given-name", "B"]]  # fmt: skip


def _plant(team: Team, kind: str, payload: Any) -> list[Path]:
    """Put the hostile thing in place; return what to remove afterwards."""
    root = team.root
    target = root / "persons" / "p-hostile.yaml"
    secret = team.base / "outside" / "secret.yaml"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text(_person("p-hostile", situation=SECRET))
    if kind == "content":
        target.write_text(payload)
    elif kind == "bytes":
        target.write_bytes(payload)
    elif kind == "link-file":
        target.symlink_to(secret)
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    elif kind == "link-folder":
        os.rename(root / "persons", team.base / "persons-moved")
        (secret.parent / "p-hostile.yaml").write_text(secret.read_text())
        (root / "persons").symlink_to(secret.parent)
        return [root / "persons"]
    elif kind == "link-settings":
        os.rename(root / "reseau.yaml", team.base / "reseau-moved.yaml")
        (root / "reseau.yaml").symlink_to(team.base / "reseau-moved.yaml")
        return [root / "reseau.yaml"]
    elif kind == "link-template":
        (root / "templates" / "fr").mkdir(parents=True, exist_ok=True)
        (root / "templates" / "fr" / "plan.md.j2").symlink_to(secret)
        target.write_text(_person("p-hostile"))
        return [root / "templates", target]
    return [target]


def _remove(team: Team, planted: list[Path]) -> None:
    import shutil

    for path in planted:
        if path.is_symlink() or path.is_file() or (path.exists() and not path.is_dir()):
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
    if (team.base / "persons-moved").exists():
        os.rename(team.base / "persons-moved", team.root / "persons")
    if (team.base / "reseau-moved.yaml").exists():
        os.rename(team.base / "reseau-moved.yaml", team.root / "reseau.yaml")


def test_campaign_over_hostile_files(fuzz_team: Team, report: list[Figures]) -> None:
    figures = Figures("hostile files")
    report.append(figures)

    @settings(SETTINGS, max_examples=FILE_EXAMPLES)
    @given(HOSTILE_FILES, st.sampled_from(READERS))
    def campaign(hostile: tuple[str, Any], reader: list[str]) -> None:
        kind, payload = hostile
        planted = _plant(fuzz_team, kind, payload)
        try:
            before = fuzz_team.state()
            args = [w.encode() for w in reader]
            answer = fuzz_team.run(args)
            changed = fuzz_team.state() != before
            if reader[0] not in ("person",) or reader[1] in ("list", "show"):
                # a read command never changes a data file, whatever it answers
                assert not changed, f"{reader} changed files on {kind}"
            judge(figures, args, answer, changed)
        finally:
            _remove(fuzz_team, planted)

    campaign()
    assert figures.counts["tracebacks"] == 0 and figures.counts["outside read"] == 0
