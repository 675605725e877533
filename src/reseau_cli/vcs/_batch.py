"""Many file texts from git through one process: ``git cat-file --batch``.

`render all` compares each person's file with its earlier versions for the minutes of
every meeting; one ``git show`` per version read was most of its time. A ``Blobs``
reader keeps one ``git cat-file --batch`` process open for the whole batch and reads
every version through it; ``close`` (or leaving the ``with`` block) ends it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from types import TracebackType

from reseau_cli.errors import GitError
from reseau_cli.i18n import _


class Blobs:
    """The text of files at commits, read through one ``git cat-file --batch``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Blobs:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "C"}
            try:
                self._process = subprocess.Popen(
                    ["git", "cat-file", "--batch"],
                    cwd=self.root,
                    env=env,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            except FileNotFoundError:
                raise GitError(_("git is not installed or not on PATH")) from None
        return self._process

    def text(self, commit: str, path: Path) -> str | None:
        """``path`` (in the work tree) as it was at ``commit``; None when it was not there."""
        rel = Path(os.path.relpath(path, self.root)).as_posix()
        process = self._start()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(f"{commit}:{rel}\n".encode())
        process.stdin.flush()
        header = process.stdout.readline().decode("utf-8", "replace").split()
        if len(header) != 3 or header[1] != "blob":
            if not header:
                self.close()
                raise GitError(_("git cat-file stopped"))
            return None  # "<name> missing", or not a file
        data = process.stdout.read(int(header[2]) + 1)[:-1]  # the content, then a newline
        return data.decode("utf-8", "replace")

    def close(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            if process.stdin is not None:
                process.stdin.close()
            process.wait()
            if process.stdout is not None:
                process.stdout.close()
