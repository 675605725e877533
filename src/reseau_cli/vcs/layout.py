"""The data repository's layout: every file and folder name reseau gives meaning to.

Defined once here, under ``vcs/`` because git is what sees them first (the merge driver's
routing in ``.gitattributes``, what ``sync`` checks, what the hooks accept); the
repository, the documents and the operations read these names from here.
"""

from __future__ import annotations

from pathlib import PurePosixPath

SETTINGS = "reseau.yaml"
# The team's members and recipients, and the register of erasures (encryption at rest).
TEAM_FILES: tuple[str, ...] = ("team/recipients.yaml", "team/erasures.yaml")
# Refs reseau keeps beside the branches: the wrapped data keys (not a branch of data).
KEYS_REF = "refs/reseau/keys"
TEMPLATES = "templates"
# The team's own translations: locale/<lang>/LC_MESSAGES/reseau.po (documents).
LOCALE = "locale"
TEAM_CATALOG = "locale/{lang}/LC_MESSAGES/reseau.po"
SCHEMES = "schemes"  # the team's funding schemes, one <id>.yaml each
INSTRUMENTS = "instruments"  # the team's own evaluation instruments, one <id>.yaml each
# kind of document -> the folder holding one ``<id>.yaml`` per document of that kind
FOLDERS: dict[str, str] = {"person": "persons", "intervenant": "intervenants"}
KIND_OF_FOLDER: dict[str, str] = {folder: kind for kind, folder in FOLDERS.items()}
# what `sync` refuses to merge over when it holds uncommitted edits
DATA_PATHS: tuple[str, ...] = (*FOLDERS.values(), SETTINGS, SCHEMES, INSTRUMENTS)
# what rendered output must never overwrite
PROTECTED: tuple[str, ...] = (
    *FOLDERS.values(),
    TEMPLATES,
    SCHEMES,
    INSTRUMENTS,
    LOCALE,
    ".git",
)

GITATTRIBUTES = (
    "# reseau: person and directory files are merged field by field, never line by line.\n"
    + "".join(f"{folder}/*.yaml merge=reseau\n" for folder in FOLDERS.values())
    + "*.yaml text eol=lf\n"
)

GITIGNORE = """\
# Rendered documents: regenerate them with `reseau render`; they never go into git.
out/
"""


def kind_of(path: str) -> tuple[str | None, str | None]:
    """(kind, id) of a data file from its path relative to the top, or (None, None)."""
    pure = PurePosixPath(path)
    kind = KIND_OF_FOLDER.get(pure.parent.name)
    if kind is None or pure.suffix != ".yaml":
        return None, None
    return kind, pure.stem
