"""SHA-256 of some bytes, as hex, without importing ``hashlib`` when it can be helped.

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
