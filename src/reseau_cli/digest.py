"""SHA-256 of some bytes, as hex, without importing ``hashlib`` when it can be helped;
and a quicker name for a large input (``name_of``).

``hashlib`` loads OpenSSL's bindings (5 to 20 ms), more than a command that reads one
file spends on everything else; CPython's own SHA-256 module gives the same digest.
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _sha256() -> Callable[[bytes], Any]:
    import importlib

    for name in ("_sha2", "_sha256"):  # Python 3.12 and later; 3.11
        try:
            found: Callable[[bytes], Any] = importlib.import_module(name).sha256
            return found
        except (ImportError, AttributeError):
            continue
    from hashlib import sha256

    return sha256


_SHA256 = _sha256()


def sha256_hex(data: bytes) -> str:
    """The SHA-256 digest of ``data``, in hexadecimal."""
    return str(_SHA256(data).hexdigest())


def name_of(*parts: bytes) -> str:
    """24 hexadecimal digits naming the bytes of ``parts`` (one after the other), for a
    cache to keep what it made from them under: BLAKE2b (96 bits), which CPython's own
    module computes four times as fast as SHA-256 (a message catalog of 300 KB: 0.25 ms
    against 1 to 2 ms); the first 24 digits of SHA-256 where that module is missing."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - a Python built without it
        return sha256_hex(b"".join(parts))[:24]
    digest = blake2b(digest_size=12)
    for part in parts:
        digest.update(part)
    return str(digest.hexdigest())
