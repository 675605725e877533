"""`reseau plan validate` and `reseau verify`: the plan validated, signed, checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reseau_cli import dates, store, vcs
from reseau_cli.errors import GitError, ReseauError, RuleViolation
from reseau_cli.i18n import _
from reseau_cli.model import validation as model
from reseau_cli.repo import Repository
from reseau_cli.vcs import signing


@dataclass
class Validated:
    person: str
    validation: str
    commit: str | None
    tag: str | None


def validate(
    repo: Repository,
    person: str,
    *,
    date: str | None = None,
    with_: list[str] | None = None,
    person_agreed: bool = False,
) -> Validated:
    """Record the validation in one commit; with a signing key, sign a tag on it."""
    date = dates.check(date, what="--date") or dates.today_iso()
    key = signing.signing_key(repo.root)
    if key is None and repo.settings.get("require_signed_validation"):
        raise RuleViolation(
            _(
                "the team requires signed validations (require_signed_validation in reseau.yaml): "
                "configure a signing key in git (user.signingkey; with gpg.format ssh for an SSH key)"
            )
        )
    path = repo.path("person", person)
    with repo.change("") as change:
        doc = change.load("person", person)
        history = vcs.file_commits(repo.root, path)
        record = model.add(
            doc,
            date=date,
            with_=list(with_ or []),
            person_agreed=person_agreed,
            commit=history[-1].commit if history else None,
        )
        change.message = f"{person}: validate plan {record['id']}"
        change.put("person", person, doc)
    commit = change.commit_id
    name = None
    if key is not None and commit is not None:
        name = model.tag(person, record["id"])
        message = f"{person}: plan validation {record['id']} on {date}"
        try:
            signing.sign_tag(repo.root, name, commit, message)
        except GitError as exc:
            raise GitError(
                _(
                    "{error}; the validation is recorded (commit {commit}) but not signed: "
                    "sign it with `git tag -s -m '{message}' {tag} {commit}`"
                ).format(error=exc, commit=commit[:8], message=message, tag=name)
            ) from None
    return Validated(person, record["id"], commit, name)


@dataclass
class Check:
    person: str
    validation: str
    date: str
    signed: bool
    good: bool
    detail: str


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    changes: dict[str, list[str]] = field(default_factory=dict)
    since: dict[str, Check] = field(default_factory=dict)
    required: bool = False

    @property
    def failed(self) -> bool:
        return any(
            (c.signed and not c.good) or (self.required and not c.signed) for c in self.checks
        )


def verify(repo: Repository, person: str | None = None) -> Report:
    """Check every validation's signature (of one person, or of all), and list what
    changed in each plan since its last validation."""
    report = Report(required=bool(repo.settings.get("require_signed_validation")))
    persons = [person] if person is not None else repo.ids("person")
    for ident in persons:
        doc = repo.load_raw("person", ident)
        found = model.validations(doc)
        if not found:
            continue
        path = repo.path("person", ident)
        validated: dict[str, str | None] = {}
        for record in found:
            check, commit = _check(repo, ident, path, record)
            report.checks.append(check)
            validated[record["id"]] = commit
        last = found[-1]
        commit = validated[last["id"]] or _introduced(repo, path, last["id"])
        old = _at(repo, path, commit)
        if old is not None:
            report.changes[ident] = model.changes(old, doc)
            report.since[ident] = report.checks[-1]
    return report


def _check(repo: Repository, person: str, path: Any, record: dict[str, Any]) -> tuple[Check, Any]:
    verdict = signing.verify_tag(repo.root, model.tag(person, record["id"]))
    base = {"person": person, "validation": record["id"], "date": record["date"]}
    if not verdict.exists:
        return Check(**base, signed=False, good=False, detail="unsigned"), None
    old = _at(repo, path, verdict.target)
    if old is None or record["id"] not in {v["id"] for v in model.validations(old)}:
        detail = "the signed tag points to a commit without this validation"
        return Check(**base, signed=True, good=False, detail=detail), verdict.target
    return Check(**base, signed=True, good=verdict.good, detail=verdict.detail), verdict.target


def _introduced(repo: Repository, path: Any, validation: str) -> str | None:
    """The commit that recorded a validation (the oldest version of the file holding it)."""
    for version in vcs.file_versions(repo.root, path):
        old = _at(repo, path, version.commit)
        if old is not None and validation in {v["id"] for v in model.validations(old)}:
            return version.commit
    return None


def _at(repo: Repository, path: Any, commit: str | None) -> dict[str, Any] | None:
    if commit is None:
        return None
    text = vcs.file_at(repo.root, path, commit=commit)
    if text is None:
        return None
    try:
        doc = store.parse(text, path=repo.rel(path))
    except ReseauError:  # an old version that no longer parses: nothing to compare
        return None
    return doc if isinstance(doc, dict) else None
