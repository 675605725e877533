"""`reseau sync`: exchange commits with the team's remote, merging data files field by field.

Sync commits nothing of the user's own: it refuses while data files hold uncommitted
changes. It fetches, merges the remote branch with the reseau merge driver, checks the
merged repository (schemas and cross-file rules), commits the merge and pushes, trying
again a few times when the remote moved on in the meantime. A real conflict, or a
merge that would break a rule neither side broke, is never committed: the merge is
aborted, the working copy is as before, and the report says what to choose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reseau_cli import dates, ids, schemas, store, vcs
from reseau_cli.errors import (
    GitError,
    InvalidDocument,
    InvalidInput,
    NoRemote,
    Problem,
)
from reseau_cli.i18n import _, ngettext
from reseau_cli.repo import Repository
from reseau_cli.safety import shorten
from reseau_cli.vcs import driver
from reseau_cli.vcs.driver import FileMerge
from reseau_cli.vcs.layout import DATA_PATHS, SETTINGS, kind_of

ATTEMPTS = 3


@dataclass(frozen=True)
class SyncReport:
    """What ``sync`` did; ``conflicts`` or ``problems`` mean nothing was merged."""

    remote: str
    branch: str
    outcome: str  # up-to-date | sent | received | merged | conflict
    received: int = 0
    sent: int = 0
    attempts: int = 1
    conflicts: list[FileMerge] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    resolved: list[FileMerge] = field(default_factory=list)
    whole: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.outcome != "conflict"

    @property
    def target(self) -> str:
        return f"{self.remote}/{self.branch}"


@dataclass
class _Merge:
    """The outcome of merging the remote branch once."""

    conflicts: list[FileMerge] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    resolved: list[FileMerge] = field(default_factory=list)
    whole: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.conflicts and not self.problems


def sync(
    repo: Repository,
    *,
    remote: str | None = None,
    ours: Sequence[str] = (),
    theirs: Sequence[str] = (),
    attempts: int = ATTEMPTS,
) -> SyncReport:
    """Fetch, merge, check, commit the merge and push; see the module docstring; then
    the signed validation tags go both ways (``vcs._tags``). Warns when the remote's
    HEAD names a branch it does not have (new clones come out empty)."""
    import dataclasses

    report = _exchange(repo, remote=remote, ours=ours, theirs=theirs, attempts=attempts)
    warnings = vcs.share_tags(repo.root, report.remote) if report.ok else []
    warning = head_warning(repo.root, report.remote, report.branch)
    return dataclasses.replace(report, warnings=[*warnings, *([warning] if warning else [])])


def head_warning(root: Path, remote: str, branch: str) -> str | None:
    """What to tell when ``remote``'s HEAD names a branch it does not have."""
    head = vcs.remote_head(root, remote)
    if head is None or head.exists:
        return None
    url = vcs.remote_url(root, remote)
    if head.branch:
        said = _(
            "the shared repository {remote} ({url}) has no default branch: its HEAD names "
            "{head}, a branch it does not have, so a teammate's `git clone` comes out empty; "
            "set it to {branch} there (`git symbolic-ref HEAD refs/heads/{branch}` in that "
            "repository, or `reseau share {url}` when it is on a path you can reach)"
        )
    else:
        said = _(
            "the shared repository {remote} ({url}) has no default branch: its HEAD names "
            "a branch it does not have, so a teammate's `git clone` comes out empty; "
            "set it to {branch} there (`git symbolic-ref HEAD refs/heads/{branch}` in that "
            "repository, or `reseau share {url}` when it is on a path you can reach)"
        )
    return said.format(remote=remote, url=url, head=repr(head.branch), branch=branch)


def _exchange(
    repo: Repository,
    *,
    remote: str | None,
    ours: Sequence[str],
    theirs: Sequence[str],
    attempts: int,
) -> SyncReport:
    root = repo.root
    choices = _choices(repo, ours=ours, theirs=theirs)  # a typo stops here, before git
    who = vcs.identity(root)
    vcs.ensure_idle(root)
    with store.locked(vcs.git_dir(root) / "reseau.lock"):
        branch = vcs.current_branch(root)
        remote, remote_branch, tracked = _remote(root, branch, remote)
        _refuse_uncommitted(root)
        vcs.ensure_merge_driver(root)
        ref = vcs.tracking_ref(remote, remote_branch)
        report: dict[str, Any] = {"remote": remote, "branch": remote_branch}
        received = 0
        seen: str | None = None
        reason = ""
        resolved: list[FileMerge] = []
        whole: list[tuple[str, str]] = []
        for attempt in range(1, attempts + 1):
            remote_head = vcs.fetch(root, remote, remote_branch)
            lease, shredded = _fetch_keys(repo, remote, ref)
            if attempt > 1 and remote_head == seen:
                raise GitError(
                    _(
                        "{remote} refused the push: {reason}; your commits are safe here "
                        "(merged and committed), run `reseau sync` again once this is fixed"
                    ).format(remote=remote, reason=reason)
                )
            seen = remote_head
            if remote_head is None:
                ahead, behind = vcs.count(root, "HEAD"), 0
            else:
                ahead, behind = vcs.ahead_behind(root, ref)
            if not ahead:
                if behind:
                    vcs.fast_forward(root, ref)
                    received += behind
                if not _push_keys(repo, remote, lease, shredded=shredded):
                    reason = "its wrapped keys changed meanwhile"
                    continue
                outcome = "received" if received else "up-to-date"
                return SyncReport(
                    **report,
                    outcome=outcome,
                    received=received,
                    attempts=attempt,
                    resolved=resolved,
                    whole=whole,
                )
            if behind:
                step = _merge(repo, ref, f"{remote}/{remote_branch}", choices, who)
                resolved += step.resolved
                whole += step.whole
                if not step.ok:
                    return SyncReport(
                        **report,
                        outcome="conflict",
                        received=received,
                        attempts=attempt,
                        conflicts=step.conflicts,
                        problems=step.problems,
                    )
                received += behind
                ahead += 1
            if not _push_keys(repo, remote, lease, shredded=shredded):
                reason = "its wrapped keys changed meanwhile"
                continue
            pushed = vcs.push(root, remote, remote_branch, set_upstream=not tracked)
            if pushed.ok:
                return SyncReport(
                    **report,
                    outcome="merged" if received else "sent",
                    received=received,
                    sent=ahead,
                    attempts=attempt,
                    resolved=resolved,
                    whole=whole,
                )
            reason = pushed.reason
    raise GitError(
        _(
            "{remote} changed again during each of {attempts} attempts to send your commits; "
            "they are merged and committed here: run `reseau sync` again in a moment"
        ).format(remote=remote, attempts=attempts)
    )


# -- the key store (encryption) ---------------------------------------------------------------


def _fetch_keys(repo: Repository, remote: str, ref: str) -> tuple[str | None, bool]:
    """Fetch the remote's wrapped data keys and merge them into ours, before the branch
    is merged (the merge driver opens their versions with them). Returns the remote's
    key store commit, for the push's lease, and whether either side still held keys of
    an erased file (they are dropped, and must leave the object store too)."""
    from reseau_cli.crypto import layer
    from reseau_cli.vcs import keys

    root = repo.root
    lease = keys.fetch(root, remote)
    if lease is None:
        return None, False
    ours, theirs = keys.read(root), keys.read(root, keys.REMOTE_REF)
    erased = _erased(repo, ref)
    merged = layer.merge_entries(ours, theirs, erased=erased)
    if merged != ours:
        keys.write(root, merged)
    repo.refresh_keys()
    shredded = any(layer.split_entry(name)[0] in erased for name in {*ours, *theirs})
    return lease, shredded


def _erased(repo: Repository, ref: str) -> set[str]:
    """The files erased (crypto-shredded) here or on the remote branch ``ref``: their
    keys are never taken back, from either side."""
    from reseau_cli.crypto import erasures

    found = erasures.ids(erasures.load(repo.root))
    rel = _prefix(repo.root) + erasures.ERASURES_FILE
    return found | erasures.ids(erasures.parse(vcs.show(repo.root, ref, rel)))


def _push_keys(repo: Repository, remote: str, lease: str | None, *, shredded: bool) -> bool:
    """Wrap keys again for the team as it now is (members added or removed on either
    side), then publish the key store if the remote's differs; False when the remote's
    changed since it was fetched. Once no ref holds an erased file's keys any more,
    they leave this clone's object store (``shredded``)."""
    from reseau_cli.crypto import layer
    from reseau_cli.vcs import keys

    root = repo.root
    repo.refresh_keys()
    if repo.encrypted:
        healed = layer.heal(repo.keyring)
        if healed is not None:
            keys.write(root, healed)
            repo.refresh_keys()
    local = keys.local_value(root)
    if local is not None and local != lease:
        if not keys.push(root, remote, lease):
            return False
        keys.pushed(root)
    if shredded:
        keys.prune(root)
    return True


# -- one merge --------------------------------------------------------------------------------


def _merge(
    repo: Repository, ref: str, label: str, choices: dict[str, str], who: vcs.Identity
) -> _Merge:
    root = repo.root
    gdir = vcs.git_dir(root)
    today = dates.today_iso()
    prefix = _prefix(root)
    env = {
        name: "\n".join(path for path, side in choices.items() if side == wanted)
        for wanted, name in driver.PREFER_ENV.items()
    }
    driver.clear_records(gdir)
    step = _Merge()
    vcs.mark_merge(root, True)
    try:
        clean = vcs.merge(root, ref, env=env)
        records = driver.read_records(gdir)
        step.resolved = [r for r in records.values() if r.written and r.prefer and r.conflicts]
        if not clean:
            for path in vcs.unmerged_paths(root):
                if path in choices:
                    _take(root, path, choices[path], ref)
                    step.whole.append((path, choices[path]))
            step.conflicts = [
                records.get(path) or _git_conflict(path) for path in vcs.unmerged_paths(root)
            ]
            if step.conflicts:
                vcs.abort_merge(root)
                return step
        repo._docs.clear()
        step.problems = _new_problems(repo, ref, prefix, today)
        retry = {prefix + p.path for p in step.problems} & set(choices)
        retry -= {path for path, _ in step.whole}
        if retry:
            for path in sorted(retry):
                _take(root, path, choices[path], ref)
                step.whole.append((path, choices[path]))
            repo._docs.clear()
            step.problems = _new_problems(repo, ref, prefix, today)
        if step.problems:
            vcs.abort_merge(root)
            return step
        vcs.commit_merge(root, f"sync: merge {label}", who)
        return step
    except BaseException:
        vcs.abort_merge(root)
        raise
    finally:
        vcs.mark_merge(root, False)
        driver.clear_records(gdir)
        repo._docs.clear()


def _take(root: Path, path: str, side: str, ref: str) -> None:
    vcs.take_version(root, path, "HEAD" if side == "ours" else ref)


def _git_conflict(path: str) -> FileMerge:
    kind, ident = kind_of(path)
    return FileMerge(
        path,
        kind,
        ident,
        problems=[
            "changed on both sides in a way that cannot be merged field by field "
            "(for example deleted on one side and changed on the other)"
        ],
    )


def _new_problems(repo: Repository, ref: str, prefix: str, today: str) -> list[Problem]:
    """What `check` finds in the files the merge changed that neither side had there."""
    changed = [
        path.removeprefix(prefix)
        for path in vcs.changed_in_merge(repo.root)
        if path.startswith(prefix) and _kind(path.removeprefix(prefix))
    ]
    if any(p.startswith("intervenants/") and not (repo.root / p).exists() for p in changed):
        changed += [f"persons/{ident}.yaml" for ident in repo.ids("person")]  # an entry went
    known = set(repo.ids("intervenant"))
    found: list[Problem] = []
    for path in dict.fromkeys(changed):
        file = repo.root / path
        if not file.is_file():
            continue
        merged = _messages(path, store.read_text(file, display=path), known, today)
        if not merged:
            continue
        before: dict[str, str] = {}
        for version in ("HEAD", ref):
            before |= _messages(path, vcs.show(repo.root, version, prefix + path), known, today)
        found += [Problem(path, where, m) for m, where in merged.items() if m not in before]
    return found


def _kind(path: str) -> str | None:
    if path == SETTINGS:
        return "settings"
    kind, _ = kind_of(path)
    return kind


def _messages(path: str, text: str | None, known: set[str], today: str) -> dict[str, str]:
    """What `check` says about one version of a file: message → where."""
    kind = _kind(path)
    if text is None or kind is None:
        return {}
    try:
        doc = store.parse(text, path=path)
    except InvalidDocument as exc:
        return {p.message: p.location for p in exc.problems}
    found = {p.message: p.location for p in schemas.problems(kind, doc, path=path, text=text)}
    if kind == "person" and not found:
        from reseau_cli.operations.check import person_rules

        for where, message in person_rules(doc, known_intervenants=known, today=today):
            line = store.line_of(text, where)
            found.setdefault(message, f"line {line}" if line else "-")
    return found


# -- choosing the remote, the files, the sides ---------------------------------------------------


def _remote(root: Path, branch: str, remote: str | None) -> tuple[str, str, bool]:
    """(remote, branch there, whether the local branch already tracks it)."""
    names = vcs.remotes(root)
    upstream = vcs.upstream(root, branch)
    if remote is None:
        if upstream is not None and upstream[0] in names:
            return upstream[0], upstream[1], True
        if not names:
            raise NoRemote()
        if "origin" in names:
            remote = "origin"
        elif len(names) == 1:
            remote = names[0]
        else:
            raise InvalidInput(
                _("several remotes here ({remotes}): choose one with --remote NAME").format(
                    remotes=", ".join(names)
                )
            )
    elif remote not in names:
        if not names:
            raise GitError(
                _("no remote named {quoted}: add it with `git remote add {remote} URL`").format(
                    quoted=repr(remote), remote=remote
                )
            )
        raise InvalidInput(
            _("no remote named {remote}; the remotes here: {remotes}").format(
                remote=repr(remote), remotes=", ".join(names)
            )
        )
    tracked = upstream is not None and upstream[0] == remote
    return remote, (upstream[1] if tracked and upstream else branch), tracked


def _refuse_uncommitted(root: Path) -> None:
    dirty = vcs.uncommitted(root, list(DATA_PATHS))
    if dirty:
        if len(dirty) > 1:
            message = ngettext(
                "{path} has uncommitted changes (and {count} other file); `reseau sync` commits "
                "nothing itself: commit them (`git add {path}` then `git commit`) or discard "
                "them (`git restore {path}`), then sync again",
                "{path} has uncommitted changes (and {count} other files); `reseau sync` commits "
                "nothing itself: commit them (`git add {path}` then `git commit`) or discard "
                "them (`git restore {path}`), then sync again",
                len(dirty) - 1,
            )
        else:
            message = _(
                "{path} has uncommitted changes; `reseau sync` commits nothing itself: "
                "commit them (`git add {path}` then `git commit`) or discard them "
                "(`git restore {path}`), then sync again"
            )
        raise GitError(message.format(path=dirty[0], count=len(dirty) - 1))


def _prefix(root: Path) -> str:
    """The data repository's folder inside the git work tree ('' when it is the top)."""
    top = vcs.toplevel(root).resolve()
    rel = root.resolve().relative_to(top).as_posix()
    return "" if rel == "." else rel + "/"


def _choices(repo: Repository, *, ours: Sequence[str], theirs: Sequence[str]) -> dict[str, str]:
    """``--ours``/``--theirs`` paths, relative to the top of the git work tree."""
    choices: dict[str, str] = {}
    if not ours and not theirs:
        return choices
    prefix = _prefix(repo.root)
    for side, given in [("ours", p) for p in ours] + [("theirs", p) for p in theirs]:
        path = prefix + _data_path(repo, given, option=f"--{side}")
        if choices.get(path, side) != side:
            raise InvalidInput(
                _("{path} is given with both --ours and --theirs; choose one").format(path=given)
            )
        choices[path] = side
    return choices


def _data_path(repo: Repository, given: str, *, option: str) -> str:
    """A data file given on the command line (a person or intervenant id, or a path),
    relative to the data repository; it must be there."""
    if "/" not in given and not given.endswith(".yaml") and ids.ID_RULE.fullmatch(given):
        for kind in ("person", "intervenant"):
            if repo.exists(kind, given):
                return repo.rel(repo.path(kind, given))
        raise InvalidInput(
            _("{option} {id}: no person or intervenant has that id (`reseau person list`)").format(
                option=option, id=given
            )
        )
    try:
        path = Path(given).expanduser()
        candidates = [path] if path.is_absolute() else [Path.cwd() / path, repo.root / path]
        candidates = [c.resolve() for c in candidates]
        chosen = next((c for c in candidates if c.is_file()), None)
    except (OSError, RuntimeError, ValueError):  # a name too long, a link loop, a NUL
        chosen = None
    rel = None
    if chosen is not None:
        try:
            rel = chosen.relative_to(repo.root.resolve()).as_posix()
        except ValueError:
            rel = None
    if rel is None or _kind(rel) is None:
        raise InvalidInput(
            _(
                "{option} {path}: not a data file of this repository (a person id, or "
                "persons/ID.yaml, intervenants/ID.yaml or {settings})"
            ).format(option=option, path=shorten(given), settings=SETTINGS)
        )
    return rel


def run_merge_driver(base: Path, ours: Path, theirs: Path, path: str) -> FileMerge:
    """What git's ``merge.reseau.driver`` runs for one file (see ``vcs.driver``); the
    data repository is opened first, so that encrypted versions can be read and the
    result sealed again."""
    from pathlib import PurePosixPath

    root = Path.cwd() / PurePosixPath(path).parent.parent
    if (root / SETTINGS).is_file():
        Repository(root.resolve()).refresh_keys()
    return driver.run(base, ours, theirs, path)


def edit_hint(paths: list[str]) -> str:
    """How to change one's side of the first conflicting file."""
    for path in paths:
        kind, ident = kind_of(path)
        if kind == "person":
            return _("for example with `reseau person edit {id}`").format(id=ident)
        if kind == "intervenant":
            return _("for example with `reseau intervenant update {id}`").format(id=ident)
    if paths:
        return _("edit {path} and commit it").format(path=paths[0])
    return _("edit the file and commit it")
