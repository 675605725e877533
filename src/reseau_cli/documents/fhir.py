"""FHIR R4 Bundles as JSON text, validated by the fhir.resources models (FHIR 4.0.1).

fhir.resources (and pydantic, below it) is imported here only, when a command exports
or imports FHIR: no other command pays for it.
"""

from __future__ import annotations

import json
from typing import Any

from reseau_cli.errors import InvalidInput
from reseau_cli.i18n import _, ngettext

FHIR_VERSION = "4.0.1"
SHOWN = 5  # validation errors named in one refusal


def problems(bundle: Any) -> list[str]:
    """What makes ``bundle`` (parsed JSON) an invalid FHIR R4 Bundle: ``path: message``
    for each error, the path in FHIR's dotted form (``entry[0].resource.birthDate``)."""
    import fhir.resources
    from fhir.resources.bundle import Bundle
    from pydantic import ValidationError

    assert fhir.resources.__fhir_version__ == FHIR_VERSION
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        found = bundle.get("resourceType") if isinstance(bundle, dict) else type(bundle).__name__
        return [f"$: a FHIR Bundle is expected, not {found!r}"]
    try:
        Bundle.parse_obj(bundle)
    except ValidationError as exc:
        return [f"{_path(e['loc'])}: {e['msg']}" for e in exc.errors()]
    except RecursionError:
        return ["$: nested too deeply to be read"]
    return []


def _path(location: tuple[Any, ...]) -> str:
    out = ""
    for part in location:
        if part == "__root__":
            continue
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out or "$"


def dumps(bundle: dict[str, Any]) -> str:
    """The Bundle as JSON text, after validating it (a bug of reseau's if it fails)."""
    found = problems(bundle)
    if found:
        raise AssertionError("reseau built an invalid FHIR Bundle: " + "; ".join(found[:SHOWN]))
    return json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"


def loads(text: str, *, display: str) -> dict[str, Any]:
    """A valid FHIR R4 Bundle from JSON text; refused with the first errors and their paths."""
    try:
        bundle = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InvalidInput(
            _("{path} is not JSON: {reason}").format(path=display, reason=exc)
        ) from None
    found = problems(bundle)
    if found:
        shown = "; ".join(found[:SHOWN])
        more = len(found) - SHOWN
        if more > 0:
            said = ngettext(
                "{path} is not a valid FHIR R4 Bundle: {problems} (and {count} more)",
                "{path} is not a valid FHIR R4 Bundle: {problems} (and {count} more)",
                more,
            )
        else:
            said = _("{path} is not a valid FHIR R4 Bundle: {problems}")
        raise InvalidInput(said.format(path=display, problems=shown, count=more))
    return bundle
