"""A fast yes-or-no validator per schema: ``fastjsonschema`` code, compiled once and
kept on disk, keyed by the schema's hash.

``schemas.problems`` asks it first: a valid document (nearly every one) costs a few
microseconds and never imports ``jsonschema``. When it says no, ``jsonschema`` (the
reference, built once) finds every problem with the messages reseau always gave, so
the fast validator only decides *whether* a document is valid, never *what* is wrong.
A test holds the two to the same answer on the test corpus and on thousands of
generated documents.

What makes fastjsonschema answer as the reference does:

- draft 2020-12 applies keywords beside a ``$ref`` (``{"$ref": "#/$defs/line",
  "minLength": 1}``); fastjsonschema, written for draft 7, would drop them: each such
  node is rewritten as ``{"allOf": [{"$ref": …}, {…the rest}]}`` first;
- the ``date`` and ``email`` formats are checked as jsonschema checks them (a real
  calendar date; an ``@``), not by fastjsonschema's own patterns.

The generated code (~175 KB per schema, 0.3 s to produce) is cached as a marshalled
code object in ``$XDG_CACHE_HOME/reseau/`` (``~/.cache/reseau/``), named by the hash
of the schema, this module's rules and the Python and fastjsonschema versions: a new
schema gets a new file, and a file that cannot be read or written is simply rebuilt
in memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import marshal
import os
import re
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

from reseau_cli.digest import sha256_hex

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

RULES = 5  # bump when the rewriting, the formats or the prelude below change
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return not isinstance(value, str)
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_email(value: Any) -> bool:
    return not isinstance(value, str) or "@" in value


FORMATS: dict[str, Callable[[Any], bool]] = {"date": _is_date, "email": _is_email}


def rewrite(node: Any) -> Any:
    """The schema with every ``$ref`` that has sibling keywords wrapped in ``allOf``."""
    if isinstance(node, list):
        return [rewrite(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: rewrite(value) for key, value in node.items()}
    ref = out.get("$ref")
    siblings = {k: v for k, v in out.items() if k not in ("$ref", "$schema", "$id")}
    checks = {k: v for k, v in siblings.items() if k not in ("description", "default", "$comment")}
    if isinstance(ref, str) and checks:
        kept = {k: v for k, v in out.items() if k in ("$schema", "$id")}
        return {**kept, "allOf": [{"$ref": ref}, siblings]}
    return out


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reseau"


def _key(schema_json: str, version: str) -> str:
    """The name of a schema's compiled code: the hash of its JSON text (as
    ``schemas._schema_text`` writes it: keys sorted, unicode kept) and of all else the
    code depends on."""
    text = schema_json
    python = ".".join(map(str, sys.version_info[:3]))
    stamp = f"{RULES}|{python}|{version}|{marshal.version}|{text}"
    return sha256_hex(stamp.encode())[:24]


def _version() -> str:
    """fastjsonschema's version, as the stat of its installed files (finding the package
    imports nothing: ``importlib.metadata`` alone cost 30 ms on every write)."""
    import importlib.util

    spec = importlib.util.find_spec("fastjsonschema")
    origin = spec.origin if spec is not None else None
    if origin is None:
        return "missing"
    folder = Path(origin).parent
    stamps = []
    for name in ("version.py", "generator.py", "draft07.py"):
        with contextlib.suppress(OSError):
            st = (folder / name).stat()
            stamps.append(f"{st.st_size}:{st.st_mtime_ns}")
    return f"{folder}|{'|'.join(stamps)}"


# What the generated code imports, made local: importing the fastjsonschema package (its
# code generator and drafts, dozens of regular expressions) and decimal cost more than
# the validation of a document. Only whether an exception is raised matters here.
_PRELUDE = """
class JsonSchemaValueException(ValueError):
    def __init__(self, message, value=None, name=None, definition=None, rule=None):
        super().__init__(message)


class JsonSchemaValuesException(ValueError):
    def __init__(self, errors):
        super().__init__("invalid")
        self.errors = errors


class Decimal:  # never a value of a document read from YAML or JSON
    pass


class _Later:  # a pattern compiled when first used (a document uses half of them)
    __slots__ = ("_args", "_compiled")

    def __init__(self, *args):
        self._args = args
        self._compiled = None

    def __getattr__(self, name):
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)
"""
_IMPORTS = (
    "from decimal import Decimal\n",
    "from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException\n",
)


def _standalone(source: str) -> str:
    """The generated source with ``_PRELUDE`` in place of its imports, and without the
    paths it builds for its error messages as it goes: each item of a list is passed
    on with its place formatted by ``"...[{i}]".format(**locals())``, which was two
    thirds of the time of validating a valid document. Only whether an exception is
    raised matters here (jsonschema describes the problems), so the paths are left
    unformatted, and not even made for the functions each value is passed to."""
    for line in _IMPORTS:
        if line not in source:
            raise RuntimeError(f"fastjsonschema's generated code changed: no {line.strip()!r}")
        source = source.replace(line, "", 1)
    source = source.replace('".format(**locals())', '"')
    start = source.find("\nREGEX_PATTERNS = {")
    if start >= 0:  # each pattern compiled when first used (``_Later``), not all on exec
        end = source.index("\n}\n", start)
        patterns = source[start:end].replace(": re.compile(", ": _Later(")
        source = source[:start] + patterns + source[end:]
    return _PRELUDE + re.sub(_PATH_ARGUMENT, "custom_formats, name_prefix)", source)


# The path passed on to the function checking a part of the value (its last argument).
_PATH_ARGUMENT = r'custom_formats, \(name_prefix or "data"\) \+ "[^"\n]*"\)'


@cache
def validator(kind: str, schema_json: str) -> Callable[[Any], Any]:
    """The compiled validation function of a schema (raises on an invalid document)."""
    path = _cache_dir() / f"validator-{kind}-{_key(schema_json, _version())}.marshal"
    cached = None
    with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
        cached = marshal.loads(path.read_bytes())
    if not (isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[0], str)):
        import fastjsonschema

        schema = json.loads(schema_json)
        source = _standalone(
            fastjsonschema.compile_to_code(rewrite(schema), formats=FORMATS, use_default=False)
        )
        main = re.search(r"^def (\w+)\(", source, re.M)
        assert main is not None  # the first function generated is the schema's own
        cached = (main.group(1), compile(source, f"<validator {kind}>", "exec"))
        _save(path, marshal.dumps(cached))
    namespace: dict[str, Any] = {}
    exec(cached[1], namespace)  # noqa: S102 - code generated from our own schema
    for name in _leaves(cached[1]):
        namespace[name] = _remembering(namespace[name])
    function = namespace[cached[0]]
    return lambda doc: function(doc, FORMATS)


def _leaves(code: Any) -> list[str]:
    """The generated functions that check a text (the schema's ``$defs`` of type
    string: ids, dates, lines…): those whose first check is that the value is one."""
    found = []
    for const in code.co_consts:
        if isinstance(const, type(code)) and const.co_name.startswith("validate_"):
            names = const.co_names
            # ``if not isinstance(data, (str)):`` first: isinstance, then str
            if names[:2] == ("isinstance", "str") and const.co_argcount == 3:
                found.append(const.co_name)
    return found


REMEMBERED = 1 << 16  # texts found valid, per function, before the set is emptied
SHORT = 64  # only texts this short are remembered (ids, dates, names, short lines)


def _remembering(check: Callable[..., Any]) -> Callable[..., Any]:
    """``check`` (a generated function checking one text: pattern, format, length),
    remembering the short texts it found valid: it depends on the text alone, and the
    same ids and dates come back in every file (a third of the time of validating one)."""
    valid: set[str] = set()

    def remembered(data: Any, custom_formats: Any = None, name_prefix: Any = None) -> Any:
        if type(data) is str and data in valid:
            return data
        check(data, custom_formats, name_prefix)
        if type(data) is str and len(data) <= SHORT:
            if len(valid) >= REMEMBERED:
                valid.clear()
            valid.add(data)
        return data

    return remembered


def _save(path: Path, payload: bytes) -> None:
    from reseau_cli import store
    from reseau_cli.errors import ReseauError

    with contextlib.suppress(OSError, ReseauError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        store.write_atomic(path, payload, mode=0o600)


def is_valid(kind: str, schema_json: str, doc: Any) -> bool:
    try:
        validator(kind, schema_json)(doc)
    except Exception:  # fastjsonschema's JsonSchemaException, or a value it chokes on
        return False
    return True
