"""The merge driver's registration in a clone's git config: checked by every command
that opens a repository, so it imports nothing but what reading a config file needs
(the driver itself, ``driver``, imports the merge model, the schemas and the crypto layer)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from reseau_cli.errors import GitError
from reseau_cli.vcs._core import _run, is_inside_work_tree

DRIVER_NAME = "reseau: person and intervenant files, merged field by field"
CONFLICTS_DIR = "reseau-conflicts"


def merge_driver_command() -> str:
    """The shell command git runs to merge a data file, with this very Python, so it
    works whether reseau is a console script or run as ``python -m reseau_cli``."""
    import sys

    return f"{quote(sys.executable)} -m reseau_cli merge-driver %O %A %B %P"


def textconv_command() -> str:
    """What git runs to show an encrypted data file readably (``git diff``, ``log -p``)."""
    import sys

    return f"{quote(sys.executable)} -m reseau_cli textconv"


# What ``shlex.quote`` leaves unquoted (its ``[^\w@%+=:,./-]``, ASCII).
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")


def quote(text: str) -> str:
    """``shlex.quote(text)``, without importing ``shlex`` (every command checks the
    driver's registration, and ``shlex`` compiles a pattern on import)."""
    if not text:
        return "''"
    if _SAFE.issuperset(text):
        return text
    return "'" + text.replace("'", "'\"'\"'") + "'"


def merge_driver_config() -> dict[str, str]:
    return {
        "merge.reseau.name": DRIVER_NAME,
        "merge.reseau.driver": merge_driver_command(),
        "diff.reseau.textconv": textconv_command(),
    }


def _config_file(root: Path) -> Path | None:
    """The repository's local config file, found without running git (None if unsure)."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git / "config"
        if dot_git.is_file():
            try:
                text = dot_git.read_text(encoding="utf-8").strip()
            except OSError:
                return None
            if not text.startswith("gitdir:"):
                return None
            gdir = (folder / text.removeprefix("gitdir:").strip()).resolve()
            common = gdir / "commondir"
            if common.is_file():
                gdir = (gdir / common.read_text(encoding="utf-8").strip()).resolve()
            return gdir / "config"
    return None


def _config_text_value(value: str) -> str:
    """How ``git config`` writes ``value`` in the config file."""
    quote = value != value.strip() or any(c in value for c in ";#")
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"' if quote else escaped


def merge_driver_registered(root: Path) -> bool:
    """Whether the local config already runs this reseau as the merge driver.

    Read from the config file's text (no git process): it is checked on every command."""
    config = _config_file(root)
    if config is None:
        return False
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    line = f"\tdriver = {_config_text_value(merge_driver_command())}\n"
    textconv = f"\ttextconv = {_config_text_value(textconv_command())}\n"
    return '[merge "reseau"]' in text and line in text and textconv in text


def register_merge_driver(root: Path) -> bool:
    """Register the reseau merge driver in the repository's local git config.

    Returns True when the config was written, False when it already was right."""
    if merge_driver_registered(root):
        return False
    for key, value in merge_driver_config().items():
        _run(root, "config", "--local", key, value)
    return True


def ensure_merge_driver(root: Path) -> None:
    """Register the driver if needed, silently: a read-only command must not fail
    because the git config cannot be written (``sync`` passes the driver itself)."""
    if merge_driver_registered(root):
        return
    with contextlib.suppress(GitError):
        if is_inside_work_tree(root):
            register_merge_driver(root)
