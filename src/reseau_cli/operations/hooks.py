"""`reseau hooks`: git hooks that refuse invalid work before it is shared.

``install`` writes a ``pre-commit`` hook in a clone, or a ``pre-receive`` hook in the
team's bare repository. Git then runs ``reseau hooks run HOOK``, which checks what is
about to be stored, as git holds it (the index, or the pushed commits: no work tree):

- every file a commit adds or changes, with the rules of `reseau check` (schemas and
  cross-file rules; when a commit removes an intervenant, every person is checked again);
- no symbolic link nor submodule anywhere, no conflict marker in a data file;
- on the server only: no file outside the data layout, and no name of the person in
  the message of a commit touching ``persons/<id>.yaml``.

Each new commit is checked against its first parent, so a push is refused when any of
its commits brings a problem, even one a later commit repairs: history is shared too.
"""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reseau_cli import ids
from reseau_cli.errors import InvalidInput, NotARepository, Problem, RuleViolation
from reseau_cli.i18n import _
from reseau_cli.text import fold
from reseau_cli.vcs import hooks as githooks
from reseau_cli.vcs.hooks import SUBMODULE, SYMLINK, Entry, Objects, Tree
from reseau_cli.vcs.layout import (
    FOLDERS,
    KEYS_REF,
    KIND_OF_FOLDER,
    LOCALE,
    SCHEMES,
    SETTINGS,
    TEAM_FILES,
    TEMPLATES,
)

MARKER = "# reseau hook: installed by `reseau hooks install`; reinstall it the same way."
PRE_COMMIT = "pre-commit"
PRE_RECEIVE = "pre-receive"
TOP_FILES = (SETTINGS, ".gitattributes", ".gitignore", *TEAM_FILES)
_MARKERS = re.compile(r"^(?:<{7}|>{7})(?: |$)|^={7}$", re.MULTILINE)
_TEMPLATE_MARKERS = re.compile(r"^(?:<{7}|>{7})(?: |$)", re.MULTILINE)  # ==== is Markdown


@dataclass(frozen=True)
class Installed:
    """What ``install`` did: ``installed``, ``updated``, ``unchanged`` or ``replaced``."""

    hook: str
    path: Path
    state: str
    kept: Path | None = None


@dataclass(frozen=True)
class Refusal:
    """One problem a hook found, in a commit being pushed (None: the staged files)."""

    commit: str | None
    problem: Problem

    def __str__(self) -> str:
        return f"{self.commit[:10]}: {self.problem}" if self.commit else str(self.problem)


# -- installing -----------------------------------------------------------------------
def install(start: Path, *, server: bool, force: bool = False) -> Installed:
    """Install reseau's hook in the repository at ``start``: ``pre-receive`` in a bare
    repository (``server``), ``pre-commit`` in a clone. Idempotent; a hook that is not
    reseau's is refused, or with ``force`` kept aside as ``<hook>.before-reseau``."""
    where = githooks.locate(start)
    if server and not where.bare:
        raise InvalidInput(
            _(
                "{path} is a clone with a work tree, not the team's bare repository: "
                "run `reseau hooks install --server` in the bare repository on the server, "
                "or `reseau hooks install` (no --server) to check commits in this clone"
            ).format(path=where.top)
        )
    if not server and where.bare:
        raise InvalidInput(
            _(
                "{path} is a bare repository (the team's server side): install its "
                "hook with `reseau hooks install --server`"
            ).format(path=where.git_dir)
        )
    if where.top is not None and not (where.top / SETTINGS).is_file():
        raise NotARepository(start=where.top, explicit=True)
    hook = PRE_RECEIVE if server else PRE_COMMIT
    path = where.hooks / hook
    text = script(hook)
    existing = githooks.read_hook(path)
    if existing == text:
        return Installed(hook, path, "unchanged")
    ours = existing is None or MARKER in existing
    if not ours and not force:
        again = "reseau hooks install" + (" --server" if server else "")
        raise RuleViolation(
            _(
                "{path} already holds a {hook} hook that is not reseau's; merge the two by "
                "hand, or replace it with `{again} --force` (it is then kept as "
                "{hook}.before-reseau)"
            ).format(path=path, hook=hook, again=again)
        )
    kept = githooks.write_hook(path, text, keep_old=not ours)
    state = "replaced" if kept else "installed" if existing is None else "updated"
    return Installed(hook, path, state, kept)


def script(hook: str) -> str:
    """The hook's shell script: runs this very Python, so it works without PATH."""
    python = shlex.quote(sys.executable)
    again = "reseau hooks install" + (" --server" if hook == PRE_RECEIVE else "")
    gone = f"reseau: cannot run the {hook} hook: {sys.executable} is gone; run `{again}` again"
    return (
        "#!/bin/sh\n"
        f"{MARKER}\n"
        f"if [ ! -x {python} ]; then\n"
        f"    echo {shlex.quote(gone)} >&2\n"
        "    exit 1\n"
        "fi\n"
        f"exec {python} -m reseau_cli hooks run {hook}\n"
    )


# -- running --------------------------------------------------------------------------
def check_staged(*, today: str) -> list[Refusal]:
    """The ``pre-commit`` check: the index against HEAD."""
    with Objects() as objects:
        head = githooks.head()
        before = githooks.tree_of(head) if head else {}
        found = snapshot_problems(before, githooks.staged(), objects, today=today, server=False)
    return [Refusal(None, problem) for problem in found]


def check_push(updates: Iterable[str], *, today: str) -> list[Refusal]:
    """The ``pre-receive`` check: every commit a push brings (``updates``: the lines git
    gives the hook, ``<old> <new> <ref>``; a deleted ref brings nothing)."""
    # The key store (wrapped data keys, ciphertext the server cannot open) is no data.
    tips = [
        line.split()[1]
        for line in updates
        if len(line.split()) == 3 and line.split()[2] != KEYS_REF
    ]
    trees: dict[str, Tree] = {}

    def tree(sha: str) -> Tree:
        if sha not in trees:
            trees[sha] = githooks.tree_of(sha)
        return trees[sha]

    refusals = []
    with Objects() as objects:
        for sha in githooks.new_commits(tips):
            commit = objects.commit(sha)
            before = tree(commit.parents[0]) if commit.parents else {}
            after = tree(sha)
            found = snapshot_problems(before, after, objects, today=today, server=True)
            found += names_in_message(commit.message, before, after, objects)
            refusals += [Refusal(sha, problem) for problem in found]
    return refusals


def data_kind(path: str) -> str | None:
    """``settings``, ``person``, ``intervenant``, ``scheme``…: the kind of a data file;
    None otherwise."""
    if path == SETTINGS:
        return "settings"
    folder, _, name = path.partition("/")
    kind = "scheme" if folder == SCHEMES else KIND_OF_FOLDER.get(folder)
    if kind and name.endswith(".yaml") and ids.ID_RULE.fullmatch(name[:-5]):
        return kind
    return None


def in_layout(path: str) -> bool:
    return (
        path in TOP_FILES
        or path.startswith((f"{TEMPLATES}/", f"{LOCALE}/"))
        or data_kind(path) is not None
    )


def snapshot_problems(
    before: Tree, after: Tree, objects: Objects, *, today: str, server: bool
) -> list[Problem]:
    """Problems in the files ``after`` adds or changes compared with ``before``."""
    from reseau_cli.operations.check import check_texts

    changed = {path: entry for path, entry in after.items() if before.get(path) != entry}
    problems = []
    texts: dict[str, str] = {}
    for path, entry in sorted(changed.items()):
        problem = _entry_problem(path, entry, server=server)
        if problem is None and (data_kind(path) or path.startswith(f"{TEMPLATES}/")):
            problem, text = _read(path, entry, objects)
            if text is not None and data_kind(path):
                texts[path] = text
        if problem is not None:
            problems.append(problem)
    if SETTINGS in before and SETTINGS not in after:
        problems.append(
            Problem(SETTINGS, "-", _("removed: a data repository cannot do without it"))
        )
    removed = {p for p in before if data_kind(p) == "intervenant" and p not in after}
    if removed:  # persons may still name them
        for path, entry in after.items():
            if data_kind(path) == "person" and path not in texts and _regular(entry):
                text = _read(path, entry, objects)[1]
                if text is not None:
                    texts[path] = text
    known = {
        path.rpartition("/")[2][:-5]
        for path, entry in after.items()
        if data_kind(path) == "intervenant" and _regular(entry)
    }
    return problems + check_texts(texts, known_intervenants=known, today=today)


def _regular(entry: Entry) -> bool:
    """A file (``100644`` or ``100755``), not a link nor a submodule."""
    return entry.mode.startswith("100")


def _entry_problem(path: str, entry: Entry, *, server: bool) -> Problem | None:
    if entry.mode == SYMLINK:
        return Problem(path, "-", _("a symbolic link: a data repository holds plain files only"))
    if entry.mode == SUBMODULE:
        return Problem(path, "-", _("a submodule: a data repository holds plain files only"))
    if server and not in_layout(path):
        folders = ", ".join(f"{folder}/<id>.yaml" for folder in (*FOLDERS.values(), SCHEMES))
        return Problem(
            path,
            "-",
            _(
                "not part of the data layout (only {files}, {folders}, "
                "{templates}/ and {locale}/ belong in a reseau repository)"
            ).format(
                files=", ".join(TOP_FILES), folders=folders, templates=TEMPLATES, locale=LOCALE
            ),
        )
    return None


def _read(path: str, entry: Entry, objects: Objects) -> tuple[Problem | None, str | None]:
    """A data file's or template's text, or the problem that stops reading it."""
    try:
        text = objects.read(entry.blob).decode("utf-8")
    except UnicodeDecodeError:
        return Problem(path, "-", _("not UTF-8 text")), None
    markers = _TEMPLATE_MARKERS if path.startswith(f"{TEMPLATES}/") else _MARKERS
    found = markers.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        what = found.group().strip()
        return Problem(
            path,
            _("line {line}").format(line=line),
            _("conflict marker {marker}: resolve it").format(marker=repr(what)),
        ), None
    return None, text


def names_in_message(message: str, before: Tree, after: Tree, objects: Objects) -> list[Problem]:
    """The commit message may not name a person whose file the commit touches."""
    touched = {p for p in (*before, *after) if data_kind(p) == "person"}
    touched = {p for p in touched if before.get(p) != after.get(p)}
    folded = fold(message)
    problems = []
    for path in sorted(touched):
        for field in ("family_name", "given_name"):
            if any(_mentions(folded, name) for name in _names(path, field, before, after, objects)):
                if field == "family_name":
                    message = _(
                        "contains the person's family name; messages carry ids, never names "
                        "(reword the commit, for example with `git rebase -i`)"
                    )
                else:
                    message = _(
                        "contains the person's given name; messages carry ids, never names "
                        "(reword the commit, for example with `git rebase -i`)"
                    )
                problems.append(Problem(path, _("commit message"), message))
    return problems


def _names(path: str, field: str, before: Tree, after: Tree, objects: Objects) -> set[str]:
    from reseau_cli import store
    from reseau_cli.errors import ReseauError

    found = set()
    for tree in (before, after):
        entry = tree.get(path)
        if entry is None or not _regular(entry):
            continue
        try:
            doc = store.parse(objects.read(entry.blob).decode("utf-8"), path=path)
        except (UnicodeDecodeError, ReseauError):
            continue
        identity = doc.get("identity") if isinstance(doc, dict) else None
        value = identity.get(field) if isinstance(identity, dict) else None
        if isinstance(value, str):
            found.add(value)
    return found


def _mentions(folded_message: str, name: str) -> bool:
    words = fold(name).split()
    if len("".join(words)) < 2:
        return False
    pattern = r"\s+".join(map(re.escape, words))
    return re.search(rf"(?<!\w){pattern}(?!\w)", folded_message) is not None
