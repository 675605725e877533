"""The exceptions a user sees as one-line messages.

Every error the core raises on purpose is a ``ReseauError``; the CLI entry point turns
it into one line on stderr and exit code 1. Anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reseau_cli.i18n import _, ngettext
from reseau_cli.records import frozen
from reseau_cli.safety import shorten


@frozen
class Problem:
    """One thing wrong in one file: where, and what."""

    path: str
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.location}: {self.message}"


class ReseauError(Exception):
    """Root of every error meant for the user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotARepository(ReseauError):
    """No data repository where one was expected."""

    def __init__(
        self, *, start: Path, explicit: bool = False, checkout: tuple[str, str] | None = None
    ) -> None:
        if checkout is not None:  # (local branch with no commit, remote branch with the data)
            unborn, found = checkout
            branch = found.split("/", 1)[-1]
            msg = _(
                "{start} is a clone whose branch {unborn} has no commit yet, while the "
                "team's data is on {found}: run `git checkout {branch}` (the shared "
                "repository's HEAD names a branch it does not have: `reseau share` sets it up)"
            ).format(start=start, unborn=repr(unborn), found=found, branch=branch)
        elif explicit:
            msg = _("{start} is not a reseau data repository (no reseau.yaml there)").format(
                start=start
            )
        else:
            msg = _(
                "no reseau data repository in {start} or any parent folder; "
                "run `reseau init` or pass --repo PATH (or set RESEAU_REPO)"
            ).format(start=start)
        super().__init__(msg)


class AlreadyInitialised(ReseauError):
    """`reseau init` on a folder that already holds a data repository."""

    def __init__(self, *, path: Path) -> None:
        super().__init__(
            _("{path} is already a reseau data repository (reseau.yaml exists)").format(path=path)
        )


class InvalidInput(ReseauError):
    """A value given on the command line or in a form is not acceptable."""


class InvalidId(InvalidInput):
    """An identifier that does not match the id rule."""

    def __init__(self, *, value: str, what: str = "id") -> None:
        shown = shorten(repr(value))
        sentence = _ID_SENTENCES.get(what)
        if sentence is not None:
            msg = sentence().format(value=shown)
        else:  # WHAT names an option or a field, as the user typed it
            msg = _(
                "invalid {what} {value}: use 1 to 40 lowercase letters, digits or '-', "
                "starting with a letter or digit"
            ).format(what=what, value=shown)
        super().__init__(msg)


_ID_SENTENCES = {
    "id": lambda: _(
        "invalid id {value}: use 1 to 40 lowercase letters, digits or '-', "
        "starting with a letter or digit"
    ),
    "person id": lambda: _(
        "invalid person id {value}: use 1 to 40 lowercase letters, digits or '-', "
        "starting with a letter or digit"
    ),
    "intervenant id": lambda: _(
        "invalid intervenant id {value}: use 1 to 40 lowercase letters, digits or '-', "
        "starting with a letter or digit"
    ),
    "concertation id": lambda: _(
        "invalid concertation id {value}: use 1 to 40 lowercase letters, digits or '-', "
        "starting with a letter or digit"
    ),
    "participant": lambda: _(
        "invalid participant {value}: use 1 to 40 lowercase letters, digits or '-', "
        "starting with a letter or digit"
    ),
    "recipient": lambda: _(
        "invalid recipient {value}: use 1 to 40 lowercase letters, digits or '-', "
        "starting with a letter or digit"
    ),
}


class InvalidDate(InvalidInput):
    """A date that is not a real YYYY-MM-DD date."""

    def __init__(
        self, *, value: str, what: str = "date", years: tuple[int, int] | None = None
    ) -> None:
        shown = shorten(repr(value))
        if what == "date" and years is not None:
            msg = _("invalid date {value}: expected a date between {first} and {last}")
        elif what == "date":
            msg = _("invalid date {value}: expected a real date as YYYY-MM-DD")
        elif years is not None:  # WHAT names an option or a field, as the user typed it
            msg = _("invalid {what} {value}: expected a date between {first} and {last}")
        else:
            msg = _("invalid {what} {value}: expected a real date as YYYY-MM-DD")
        first, last = years if years is not None else (0, 0)
        super().__init__(
            msg.format(what=what, value=shown, first=f"{first}-01-01", last=f"{last}-12-31")
        )


class UnknownId(ReseauError):
    """An id that names nothing in the repository. MESSAGE is the whole translated
    sentence, e.g. ``_("unknown objective {id}; …").format(id=repr(ident))``."""

    def __init__(self, message: str, *, id: str) -> None:
        super().__init__(message)
        self.id = id


class UnknownPerson(UnknownId):
    def __init__(self, *, id: str) -> None:
        super().__init__(
            _("unknown person {id}; `reseau person list --all` shows the ids").format(id=repr(id)),
            id=id,
        )


class UnknownIntervenant(UnknownId):
    def __init__(self, *, id: str) -> None:
        super().__init__(
            _("unknown intervenant {id}; `reseau intervenant list` shows the ids").format(
                id=repr(id)
            ),
            id=id,
        )


class AlreadyExists(ReseauError):
    """Creating something whose id is taken. MESSAGE is the whole translated sentence."""


class InvalidDocument(ReseauError):
    """A file that cannot be read or does not follow its schema."""

    def __init__(self, *, path: str, problems: Sequence[Problem], hint: str = "") -> None:
        first = problems[0] if problems else Problem(path, "-", _("invalid"))
        more = len(problems) - 1
        if more and hint:
            msg = ngettext(
                "{problem} (and {count} more problem); {hint}",
                "{problem} (and {count} more problems); {hint}",
                more,
            )
        elif more:
            msg = ngettext(
                "{problem} (and {count} more problem)",
                "{problem} (and {count} more problems)",
                more,
            )
        elif hint:
            msg = _("{problem}; {hint}")
        else:
            msg = "{problem}"
        super().__init__(msg.format(problem=first, count=more, hint=hint))
        self.path = path
        self.problems = list(problems)


class UnsupportedFormat(ReseauError):
    """A file written by a newer version of reseau."""

    def __init__(self, *, path: str, found: object, supported: int) -> None:
        super().__init__(
            _(
                "{path}: format {found} is newer than this reseau understands "
                "(up to {supported}); upgrade reseau"
            ).format(path=path, found=repr(found), supported=supported)
        )


class RuleViolation(ReseauError):
    """A change refused because it breaks a rule of the domain."""


class GitError(ReseauError):
    """Git refused or failed."""


class MissingIdentity(GitError):
    def __init__(self) -> None:
        super().__init__(
            _(
                'no git identity: set it with `git config user.name "Your Name"` and '
                "`git config user.email you@example.org` (every change is signed with it)"
            )
        )


class RepositoryBusy(GitError):
    """Another reseau process holds the write lock, or git is mid-operation."""


class DetachedHead(GitError):
    """HEAD is on no branch: a commit would belong to no branch."""

    def __init__(self, *, branch: str | None) -> None:
        super().__init__(
            _(
                "not on a branch (detached HEAD): a change made now would belong to no branch; "
                "go back to your branch first (`git switch {branch}`)"
            ).format(branch=branch or _("BRANCH"))
        )


class DiskFull(GitError):
    """The disk (or quota) is full: the change is refused whole."""

    def __init__(self, *, where: Path | str) -> None:
        super().__init__(
            _(
                "disk full: no space left on the device of {where}; nothing was changed, "
                "free some space and try again"
            ).format(where=where)
        )


class DirtyFile(GitError):
    def __init__(self, *, path: str) -> None:
        super().__init__(
            _(
                "{path} has uncommitted changes made outside reseau; commit them "
                "(`git commit {path}`) or discard them (`git restore {path}`) first"
            ).format(path=path)
        )


class NoRemote(GitError):
    """`reseau sync` in a repository that has no remote to sync with."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "this repository has no git remote to sync with; add your team's shared "
                "repository with `git remote add origin URL`, or make one with "
                "`reseau share PATH_OR_URL`, then run `reseau sync` again"
            )
        )


class RemoteUnreachable(GitError):
    """The remote could not be reached now: a passing problem (network, server down)."""

    def __init__(self, *, remote: str, url: str, reason: str) -> None:
        reason = reason.strip().rstrip(".")  # git's sentences end with one; ours goes on
        super().__init__(
            _(
                "cannot reach remote {remote} ({url}): {reason}; nothing was changed here, "
                "try `reseau sync` again later"
            ).format(remote=repr(remote), url=url, reason=reason)
        )


class RemoteMisconfigured(GitError):
    """The remote answered, or could not be found, in a way waiting will not fix: no such
    repository, a URL git cannot use, credentials refused."""

    def __init__(self, *, remote: str, url: str, reason: str) -> None:
        reason = reason.strip().rstrip(".")
        super().__init__(
            _(
                "remote {quoted} ({url}) cannot be used: {reason}; this is a setup problem, "
                "trying again will not help: check the URL (`git remote get-url {remote}`, "
                "change it with `git remote set-url {remote} URL`), that the repository exists "
                "there and that your account may read it (SSH key, credentials); nothing was "
                "changed here"
            ).format(quoted=repr(remote), remote=remote, url=url, reason=reason)
        )


class WriteFailed(ReseauError):
    """The file system refused a write."""

    def __init__(self, *, path: Path | str, reason: str) -> None:
        super().__init__(_("cannot write {path}: {reason}").format(path=path, reason=reason))


class ReadFailed(InvalidDocument):
    """The file system refused a read (permissions, a file that vanished…)."""

    def __init__(self, *, path: Path | str, reason: str) -> None:
        super().__init__(
            path=str(path),
            problems=[Problem(str(path), "-", _("cannot read: {reason}").format(reason=reason))],
        )
        self.message = _("cannot read {path}: {reason}").format(path=path, reason=reason)


class UnsafeFile(InvalidDocument):
    """A data file or template that reseau will not read: a symbolic link, not a
    regular file, or too large."""

    def __init__(self, *, path: Path | str, reason: str) -> None:
        super().__init__(path=str(path), problems=[Problem(str(path), "-", reason)])
        self.reason = reason


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that the command says what it left behind."""


class Aborted(ReseauError):
    """The user chose to abort; nothing was changed."""


class TemplateError(ReseauError):
    """A template that cannot be compiled or rendered; names the file and the line."""

    def __init__(self, *, template: str, line: int | None, reason: str) -> None:
        if line:
            msg = _("template {template}, line {line}: {reason}")
        else:
            msg = _("template {template}: {reason}")
        super().__init__(msg.format(template=template, line=line, reason=reason))
        self.template = template
        self.line = line


class MissingExtra(ReseauError):
    """An optional feature whose Python package is not installed."""

    def __init__(self, *, feature: str, extra: str, detail: str = "") -> None:
        if detail:
            msg = _(
                "{feature} needs an optional package: pip install 'reseau-cli[{extra}]' ({detail})"
            )
        else:
            msg = _("{feature} needs an optional package: pip install 'reseau-cli[{extra}]'")
        super().__init__(msg.format(feature=feature, extra=extra, detail=detail))


class CatalogInvalid(ReseauError):
    """A team's translation file (``locale/<lang>/LC_MESSAGES/reseau.po``) that does not compile."""

    def __init__(self, *, path: str, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
