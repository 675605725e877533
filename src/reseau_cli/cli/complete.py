"""Shell completion of ids: persons, intervenants, and a person's concertations and actions.

Typer calls these while the shell completes a word (`reseau --install-completion` sets
that up for bash, zsh and fish). They read the data repository the command line names
(`--repo`, else RESEAU_REPO, else upward from the working directory) and never fail: a
repository that cannot be found or read completes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from reseau_cli.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    import typer

    from reseau_cli.repo import Repository

Item = tuple[str, str]  # (the word to complete to, what it is: shown by zsh and fish)


def persons(ctx: typer.Context, incomplete: str) -> list[Item]:
    return _complete(ctx, incomplete, _persons)


def intervenants(ctx: typer.Context, incomplete: str) -> list[Item]:
    return _complete(ctx, incomplete, _intervenants)


def concertations(ctx: typer.Context, incomplete: str) -> list[Item]:
    return _complete(ctx, incomplete, _concertations)


def actions(ctx: typer.Context, incomplete: str) -> list[Item]:
    return _complete(ctx, incomplete, _actions)


def objectives(ctx: typer.Context, incomplete: str) -> list[Item]:
    return _complete(ctx, incomplete, _objectives)


def _complete(
    ctx: typer.Context,
    incomplete: str,
    items: Callable[[Repository, typer.Context], Iterator[Item]],
) -> list[Item]:
    from reseau_cli.errors import ReseauError

    try:
        repo = _repository(ctx)
        return [(word, help) for word, help in items(repo, ctx) if word.startswith(incomplete)]
    except (ReseauError, OSError):
        return []


def _repository(ctx: typer.Context) -> Repository:
    from reseau_cli.repo import Repository

    given: Any = ctx.find_root().params.get("repo")
    return Repository.open(Path(given) if given else None)


def _persons(repo: Repository, ctx: typer.Context) -> Iterator[Item]:
    for ident, doc in repo.summaries("person"):
        who = doc.get("identity") or {}
        name = " ".join(filter(None, (who.get("given_name"), who.get("family_name"))))
        yield (
            ident,
            _("{name} (closed)").format(name=name) if doc.get("status") == "closed" else name,
        )


def _intervenants(repo: Repository, ctx: typer.Context) -> Iterator[Item]:
    for ident, doc in repo.summaries("intervenant"):
        yield ident, doc.get("name") or ""


def _person_doc(repo: Repository, ctx: typer.Context) -> dict[str, Any]:
    person = ctx.params.get("person")
    if not person:
        return {}
    return repo.person(person)


def _concertations(repo: Repository, ctx: typer.Context) -> Iterator[Item]:
    for c in _person_doc(repo, ctx).get("concertations") or []:
        yield c["id"], f"{c.get('status')} {c.get('date')} {c.get('time') or ''}".strip()


def _actions(repo: Repository, ctx: typer.Context) -> Iterator[Item]:
    for a in (_person_doc(repo, ctx).get("plan") or {}).get("actions") or []:
        yield a["id"], f"{a.get('status')}: {a.get('text')}"


def _objectives(repo: Repository, ctx: typer.Context) -> Iterator[Item]:
    for o in (_person_doc(repo, ctx).get("plan") or {}).get("objectives") or []:
        yield o["id"], f"{o.get('status')}: {o.get('text')}"
