"""Hostile input (issue 19): symbolic links, control characters, alias bombs, sizes,
huge integers, dates out of range, templates that never end, bytes that are not UTF-8.

Each test plants what an attacker or an unlucky colleague could commit, then asserts
one clear line, nothing read from outside, nothing written, and a quick answer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import git, invoke, ok, refused, snapshot

# Not a speed goal (those live in bench/): a guard that a hostile input is refused without
# doing its runaway work (an alias bomb or a template loop would run for minutes or hours).
HANG = 30.0

SECRET = "SECRET-OUTSIDE-THE-REPOSITORY"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
)


def _person_text(ident: str, **fields: str) -> str:
    lines = ["format: 1", f"id: {ident}", "status: active", "identity:"]
    lines += ["  family_name: Dupont", "  given_name: Jeanne"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    path = outside / "secret.yaml"
    path.write_text(_person_text("p-secret", situation=SECRET))
    return path


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


# -- 1, 2: symbolic links ------------------------------------------------------------
def test_a_symlinked_person_file_is_never_read(team: Path, marcel: str, secret: Path) -> None:
    link = team / "persons" / "p-link.yaml"
    link.symlink_to(secret)
    result = invoke("check")
    assert result.exit_code == 1
    assert "persons/p-link.yaml: -: a symbolic link" in result.stdout
    assert SECRET not in result.stdout + result.stderr
    shown = refused(team, "person", "show", "p-link", match="persons/p-link.yaml")
    assert "symbolic link" in shown.stderr and SECRET not in shown.stdout + shown.stderr
    listed = invoke("person", "list")
    assert listed.exit_code == 0 and "p-link" not in listed.stdout
    assert "persons/p-link.yaml" in listed.stderr  # left out, and said so
    rendered = refused(team, "render", "plan", "p-link", match="symbolic link")
    assert SECRET not in rendered.stdout
    assert not (team / "out").exists()


def test_a_symlinked_data_folder_is_refused_and_never_written_through(
    team: Path, marcel: str, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    shutil.move(team / "persons", outside)
    (team / "persons").symlink_to(outside)
    for args in (("person", "list"), ("status",), ("person", "show", marcel)):
        line = _one_error_line(invoke(*args).stderr)
        assert "persons: -: a symbolic link" in line
    before = sorted(p.name for p in outside.iterdir())
    refused(team, "person", "add", "--family-name", "A", "--given-name", "B", match="persons")
    assert sorted(p.name for p in outside.iterdir()) == before
    result = invoke("check")
    assert result.exit_code == 1 and "persons: -: a symbolic link" in result.stdout


def test_a_symlinked_settings_file_is_refused(team: Path, tmp_path: Path) -> None:
    target = tmp_path / "settings.yaml"
    shutil.move(team / "reseau.yaml", target)
    (team / "reseau.yaml").symlink_to(target)
    line = _one_error_line(invoke("person", "list").stderr)
    assert "reseau.yaml: -: a symbolic link" in line
    result = invoke("check")
    assert result.exit_code == 1 and "reseau.yaml: -: a symbolic link" in result.stdout


def test_check_reports_every_symlink_in_the_layout(team: Path, marcel: str, secret: Path) -> None:
    (team / "templates" / "fr").mkdir(parents=True)
    (team / "templates" / "fr" / "plan.md.j2").symlink_to(secret)
    (team / "intervenants").mkdir(exist_ok=True)
    (team / "intervenants" / "notes.txt").symlink_to(secret)
    result = invoke("check")
    assert result.exit_code == 1
    assert "templates/fr/plan.md.j2: -: a symbolic link" in result.stdout
    assert "intervenants/notes.txt: -: a symbolic link" in result.stdout


@pytest.mark.parametrize("where", ["plan.md.j2", "include"])
def test_a_symlinked_team_template_is_refused(
    team: Path, marcel: str, secret: Path, where: str
) -> None:
    folder = team / "templates" / "fr"
    folder.mkdir(parents=True)
    if where == "include":
        (folder / "plan.md.j2").write_text('{% include "fr/part.md.j2" %}\n')
        (folder / "part.md.j2").symlink_to(secret)
        name = "templates/fr/part.md.j2"
    else:
        (folder / "plan.md.j2").symlink_to(secret)
        name = "templates/fr/plan.md.j2"
    result = refused(team, "render", "plan", marcel, match=f"template {name}: a symbolic link")
    assert SECRET not in result.stdout


# -- 3: control characters ------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ("person", "add", "--family-name", "A\x1b]0;pwned\x07\x1b[2J", "--given-name", "B"),
        ("person", "add", "--family-name", "A", "--given-name", "B\nC"),
        ("person", "add", "--family-name", "A", "--given-name", "B", "--situation", "x\x1b[31m"),
        ("person", "add", "--family-name", "A", "--given-name", "B", "--situation", "x\ry"),
        ("intervenant", "add", "{p}", "--name", "Paul\x1b[8m", "--since", "2026-10-01"),
        ("intervenant", "add", "{p}", "--name", "Paul", "--role", "G\rP", "--since", "2026-10-01"),
        ("concertation", "plan", "{p}", "--date", "2026-12-02", "--place", "CPAS\n2"),
    ],
)
def test_control_characters_are_refused(team: Path, marcel: str, args: tuple[str, ...]) -> None:
    args = tuple(a.replace("{p}", marcel) for a in args)
    result = refused(team, *args, match="control character")
    assert "\x1b" not in result.stderr and "\r" not in result.stderr


def test_free_text_keeps_newlines_and_tabs(team: Path) -> None:
    ident = ok(
        "person", "add", "--family-name", "A", "--given-name", "B", "--situation", "a\n\tb"
    ).stdout.strip()
    assert "a\n\tb" in ok("person", "show", ident, "--json").stdout.replace("\\n", "\n").replace(
        "\\t", "\t"
    )


def test_a_hand_edited_control_character_is_a_check_problem(team: Path, marcel: str) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    path.write_text(path.read_text().replace("family_name: Janssens", 'family_name: "J\\e[2J"'))
    result = invoke("check")
    assert result.exit_code == 1
    assert "family_name): 'J\\x1b[2J' holds a line break or a control character" in result.stdout
    assert "\x1b" not in result.stdout


def test_terminal_output_is_escaped(team: Path, marcel: str, tmp_path: Path) -> None:
    # A commit message written by hand, outside reseau, reaches `reseau log`.
    git(team, "commit", "--allow-empty", "-qm", "x\x1b]0;pwned\x07\x1b[2J")
    result = ok("log")
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b]0;pwned\\x07" in result.stdout
    # An error echoing a path with a newline and an escape stays one line.
    bad = str(tmp_path / "no\nsuch\x1b[2J")
    line = _one_error_line(invoke("--repo", bad, "person", "list").stderr)
    assert "no\\x0asuch\\x1b[2J" in line


def test_bidirectional_overrides_are_stored_but_shown_escaped(team: Path) -> None:
    ident = ok("person", "add", "--family-name", "Abc\u202edcb", "--given-name", "B").stdout.strip()
    for args in (
        ("person", "list"),
        ("person", "show", ident),
        ("person", "show", ident, "--json"),
    ):
        out = ok(*args).stdout
        assert "\u202e" not in out and "Abc\\u202edcb" in out, args


# -- 11: full matches ---------------------------------------------------------------
def test_a_trailing_newline_is_not_part_of_an_id_or_a_time(team: Path, marcel: str) -> None:
    refused(
        team, "person", "add", "--family-name", "A", "--given-name", "B", "--id", "evil\n",
        match="invalid person id 'evil\\n'",
    )  # fmt: skip
    refused(
        team, "concertation", "plan", marcel, "--date", "2026-12-02", "--time", "14:00\n",
        match="--time",
    )  # fmt: skip
    refused(team, "person", "close", marcel, "--reason", "x", "--date", "2026-12-01\n",
            match="invalid --date")  # fmt: skip


def test_schema_patterns_refuse_a_trailing_newline(team: Path, marcel: str) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    text = path.read_text().replace("birth_date: '1940-05-03'", 'birth_date: "1940-05-03\\n"')
    path.write_text(text + 'concertations:\n- {id: c-x, status: planned, kind: concertation,'
                    ' date: "2026-12-01", time: "14:00\\n"}\n')  # fmt: skip
    result = invoke("check")
    assert result.exit_code == 1
    assert "$.identity.birth_date" in result.stdout
    assert "$.concertations[0].time" in result.stdout


# -- 4, 5, 10: aliases, sizes, integers, nesting, encodings ----------------------------
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BOMB, "anchors and aliases"),
        (_person_text("p-hostile", situation="x" * (1024 * 1024)), "more than the 1 MiB"),
        (_person_text("p-hostile", opened="9" * 5000), "5000 digits is too large"),
        (_person_text("p-hostile", situation="[" * 900 + "]" * 900), "nested more than 50"),
        (_person_text("p-hostile", foo="{a: " * 990 + "1" + "}" * 990), "nested more than 50"),
        (_person_text("p-hostile", situation="[" * 5000 + "]" * 5000), "invalid YAML"),
        ("\ufefff\x00o: 1\n".encode("utf-16"), "not UTF-8"),
        (_person_text("p-hostile", opened="'9999-12-31'"), "between 1900-01-01 and 2199-12-31"),
    ],
    ids=[
        "alias-bomb",
        "size",
        "integer",
        "nesting",
        "nesting-maps",
        "libyaml-limit",
        "utf16",
        "date",
    ],  # fmt: skip
)
def test_hostile_person_files_are_reported_quickly(
    team: Path, marcel: str, content: str | bytes, message: str
) -> None:
    path = team / "persons" / "p-hostile.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    before = snapshot(team)
    for args in (("person", "list"), ("status",), ("intervenant", "list"), ("find", "x")):
        if args[0] == "find":
            continue
        started = time.monotonic()
        result = invoke(*args)
        assert time.monotonic() - started < HANG, args
        assert result.exit_code == 0, result.stderr
        assert "Traceback" not in result.stderr
    started = time.monotonic()
    result = invoke("check")
    assert time.monotonic() - started < HANG
    assert result.exit_code == 1 and message in result.stdout, result.stdout
    line = _one_error_line(invoke("person", "show", "p-hostile").stderr)
    assert message in line
    assert snapshot(team) == before


def test_a_named_pipe_does_not_stall_a_command(team: Path, marcel: str) -> None:
    os.mkfifo(team / "persons" / "p-pipe.yaml")
    started = time.monotonic()
    line = _one_error_line(invoke("person", "show", "p-pipe").stderr)
    assert "not a regular file" in line and time.monotonic() - started < HANG


@pytest.mark.parametrize("how", ["file", "stdin"])
def test_hostile_forms_are_refused(team: Path, marcel: str, tmp_path: Path, how: str) -> None:
    cases = {
        "aliases": (BOMB, "anchors and aliases"),
        "size": ("summary: " + "x" * (1024 * 1024 + 10) + "\n", "more than the 1 MiB"),
        "encoding": (b"date: 2026-11-28\nsummary: \xff\xfe\n", "not UTF-8"),
    }
    for content, message in cases.values():
        data = content if isinstance(content, bytes) else content.encode()
        if how == "file":
            form = tmp_path / "form.yaml"
            form.write_bytes(data)
            args = ("concertation", "record", marcel, "--file", str(form))
            started = time.monotonic()
            refused(team, *args, match=message)
        else:
            before = snapshot(team)
            started = time.monotonic()
            result = invoke("concertation", "record", marcel, "--file", "-", input=data)
            assert result.exit_code == 1 and message in _one_error_line(result.stderr)
            assert snapshot(team) == before
        assert time.monotonic() - started < HANG


# -- 6: team templates that never end ---------------------------------------------------
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "loops went over",
        ),
        ('{{ "{0}".format_map({}) }}', "IndexError"),
        ('{{ "%999999999d" % 1 }}', "huge width"),
        ('{{ "x" * 1000000000 }}', "repetition longer"),
        ("{{ 7 ** 100000000 }}", "exponent over"),
    ],
    ids=["nested-range", "format-map", "width", "repeat", "power"],
)
def test_a_runaway_team_template_stops_with_one_line(
    team: Path, marcel: str, body: str, reason: str
) -> None:
    folder = team / "templates" / "fr"
    folder.mkdir(parents=True)
    (folder / "plan.md.j2").write_text(body + "\n")
    started = time.monotonic()
    refused(team, "render", "plan", marcel, match="template templates/fr/plan.md.j2, line 1: ")
    assert reason in invoke("render", "plan", marcel).stderr
    assert time.monotonic() - started < HANG


def test_a_template_over_its_time_budget_stops(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = team / "templates" / "fr"
    folder.mkdir(parents=True)
    loop = '{% for a in "x" * 3000 %}{% for b in "x" * 3000 %}{% for c in "x" * 3000 %}'
    (folder / "plan.md.j2").write_text(loop + "{% endfor %}{% endfor %}{% endfor %}\n")
    monkeypatch.setenv("RESEAU_RENDER_SECONDS", "0.5")
    started = time.monotonic()
    refused(team, "render", "plan", marcel, match="took longer than 0.5 s")
    assert time.monotonic() - started < HANG


# -- 10: bytes that are not UTF-8, dates, long values, the editor ---------------------------
def test_arguments_that_are_not_utf8_are_refused(team: Path, marcel: str) -> None:
    before = snapshot(team)
    reseau = Path(sys.executable).with_name("reseau")
    result = subprocess.run(
        [os.fsencode(reseau), b"person", b"add", b"--family-name", b"A\xff\xfe", b"--given-name",
         b"B"], capture_output=True, env=os.environ,
    )  # fmt: skip
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert "argument 4 is not valid UTF-8 text (A\\xff\\xfe)" in _one_error_line(stderr)
    assert snapshot(team) == before


def test_dates_stay_between_1900_and_2199(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused(team, "person", "close", marcel, "--reason", "x", "--date", "1899-12-31",
            match="between 1900-01-01 and 2199-12-31")  # fmt: skip
    monkeypatch.setenv("RESEAU_TODAY", "9999-12-31")
    for args in (("status",), ("plan", "review", marcel), ("person", "list")):
        refused(team, *args, match="invalid RESEAU_TODAY '9999-12-31'")


def test_a_huge_sync_choice_is_one_short_line(team: Path, marcel: str) -> None:
    result = refused(team, "sync", "--ours", "a/" * 60000, match="--ours")
    assert len(result.stderr) < 400


def _script_editor(tmp_path: Path, code: str) -> str:
    script = tmp_path / "hostile_editor.py"
    script.write_text("import pathlib, sys\npath = pathlib.Path(sys.argv[-1])\n" + code + "\n")
    return f"{sys.executable} {script}"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("path.write_bytes(b'\\xff\\xfe\\x00binary')", "not UTF-8"),
        ("path.unlink()", "removed"),
        ("path.write_text(path.read_text() + 'opened: ' + '9' * 5000 + '\\n')", "too large"),
        ("path.write_text('x' * (2 * 1024 * 1024))", "1 MiB"),
    ],
    ids=["binary", "deleted", "integer", "huge"],
)
def test_a_hostile_editor_changes_nothing(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str,
    message: str,
) -> None:  # fmt: skip
    monkeypatch.setenv("EDITOR", _script_editor(tmp_path, code))
    before = snapshot(team)
    result = invoke("person", "edit", marcel, input="a\n")
    assert result.exit_code == 1, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert "error: " in result.stderr.strip().splitlines()[-1]
    assert snapshot(team) == before


# -- 10, 12: unreadable files say "cannot read" ------------------------------------------
def _as_nobody() -> list[str] | None:
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        return None
    return [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def test_an_unreadable_folder_or_file_says_cannot_read(tmp_path: Path) -> None:
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("needs root and setpriv to run reseau as another user (root reads all)")
    base = Path(tempfile_dir())
    try:
        root = base / "team"
        ok("init", str(root), "--team", "T")
        ident = ok("--repo", str(root), "person", "add", "--family-name", "A",
                   "--given-name", "B").stdout.strip()  # fmt: skip
        home = base / "home"
        home.mkdir()
        (home / ".gitconfig").write_text("[safe]\n\tdirectory = *\n")
        subprocess.run(["chmod", "-R", "a+rX", str(base)], check=True)
        env = {**os.environ, "HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
               "RESEAU_REPO": str(root)}  # fmt: skip
        reseau = str(Path(sys.executable).with_name("reseau"))
        (root / "persons" / f"{ident}.yaml").chmod(0)
        shown = subprocess.run([*prefix, reseau, "person", "show", ident], env=env,
                               capture_output=True, text=True)  # fmt: skip
        assert shown.returncode == 1, shown.stderr
        assert f"cannot read persons/{ident}.yaml: Permission denied" in shown.stderr
        assert "Traceback" not in shown.stderr and "cannot write" not in shown.stderr
        (root / "persons").chmod(0)
        listed = subprocess.run([*prefix, reseau, "person", "list"], env=env,
                                capture_output=True, text=True)  # fmt: skip
        assert listed.returncode == 1, listed.stderr
        assert "cannot read persons: Permission denied" in _one_error_line(listed.stderr)
    finally:
        subprocess.run(["chmod", "-R", "u+rwX", str(base)], check=False)
        shutil.rmtree(base, ignore_errors=True)


def tempfile_dir() -> str:
    """A folder another user can walk into (pytest's tmp_path is private to root)."""
    import tempfile

    path = tempfile.mkdtemp(prefix="reseau-nobody-")
    os.chmod(path, 0o755)
    return path
