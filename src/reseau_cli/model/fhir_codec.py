"""What FHIR and reseau share for the exchange: the systems and base URLs, references,
and the reseau extensions that carry, losslessly, the fields FHIR has no element for.

A field with no FHIR element becomes one extension ``{BASE}/StructureDefinition/<key>``
on the resource that maps its record; a value is a FHIR primitive (``valueString``,
``valueBoolean``, ``valueInteger``), a record nests one sub-extension per key, a list
is marked ``_list`` and nests one ``_item`` per element, and ``null`` is marked
``_null``. Decoding gives back exactly the value encoded.
"""

from __future__ import annotations

import json
from typing import Any

BASE = "http://reseau.invalid/fhir"
EXTENSION = f"{BASE}/StructureDefinition/"
PERSON_SYSTEM = "urn:reseau:person"
INTERVENANT_SYSTEM = "urn:reseau:intervenant"
COMMIT_SYSTEM = "urn:reseau:git-commit"
FUNCTION_SYSTEM = f"{BASE}/CodeSystem/function"
DOMAIN_SYSTEM = f"{BASE}/CodeSystem/domain"
KIND_SYSTEM = f"{BASE}/CodeSystem/concertation-kind"
RECIPIENT_KIND_SYSTEM = f"{BASE}/CodeSystem/recipient-kind"
SECTION_SYSTEM = f"{BASE}/CodeSystem/consent-section"
GOAL_PRIORITY = "http://terminology.hl7.org/CodeSystem/goal-priority"
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
LOINC = "http://loinc.org"
PROVENANCE_AGENT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
SECURITY = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"
# Directory kinds and the FHIR resource each becomes.
KIND_RESOURCE = {
    "professional": "Practitioner",
    "volunteer": "Practitioner",
    "carer": "RelatedPerson",
    "service": "Organization",
}


def full_url(resource_type: str, ident: str) -> str:
    return f"{BASE}/{resource_type}/{ident}"


def ref(resource_type: str, ident: str) -> dict[str, str]:
    return {"reference": f"{resource_type}/{ident}"}


def ref_id(reference: Any, resource_type: str | None = None) -> str | None:
    """The id a ``{"reference": "Type/id"}`` names (of that type, if given), else None."""
    if not isinstance(reference, dict) or not isinstance(reference.get("reference"), str):
        return None
    kind, _, ident = reference["reference"].rpartition("/")
    kind = kind.rpartition("/")[2]
    if not ident or (resource_type is not None and kind != resource_type):
        return None
    return ident


def encode(key: str, value: Any) -> dict[str, Any]:
    """One extension (or sub-extension, with a relative ``key``) holding ``value``."""
    if value is None:
        return {"url": key, "extension": [{"url": "_null", "valueBoolean": True}]}
    if isinstance(value, bool):
        return {"url": key, "valueBoolean": value}
    if isinstance(value, int):
        return {"url": key, "valueInteger": value}
    if isinstance(value, str):
        if value.strip() == value and value:
            return {"url": key, "valueString": value}
        # FHIR strings are never empty nor padded: the JSON text of the string is.
        return {"url": key, "extension": [{"url": "_raw", "valueString": json.dumps(value)}]}
    if isinstance(value, list):
        items = [encode("_item", v) for v in value]
        return {"url": key, "extension": [{"url": "_list", "valueBoolean": True}, *items]}
    if isinstance(value, dict):
        subs = [encode(str(k), v) for k, v in value.items()]
        return {"url": key, "extension": subs or [{"url": "_dict", "valueBoolean": True}]}
    return {"url": key, "valueString": str(value)}


def decode(extension: dict[str, Any]) -> Any:
    """The value ``encode`` put in ``extension``."""
    for kind in ("valueString", "valueBoolean", "valueInteger"):
        if kind in extension:
            return extension[kind]
    subs = extension.get("extension") or []
    urls = [s.get("url") for s in subs]
    if urls == ["_null"]:
        return None
    if urls == ["_dict"]:
        return {}
    if urls == ["_raw"]:
        raw = json.loads(str(subs[0].get("valueString")))
        return raw if isinstance(raw, str) else str(raw)
    if urls[:1] == ["_list"]:
        return [decode(s) for s in subs[1:]]
    return {s["url"]: decode(s) for s in subs}


def extensions(record: dict[str, Any], used: set[str] | frozenset[str]) -> list[dict[str, Any]]:
    """The reseau extensions for every key of ``record`` not mapped to a FHIR element."""
    return [encode(EXTENSION + key, value) for key, value in record.items() if key not in used]


def extras(element: dict[str, Any]) -> dict[str, Any]:
    """The fields the reseau extensions of ``element`` carry."""
    found = {}
    for ext in element.get("extension") or []:
        url = ext.get("url", "")
        if isinstance(url, str) and url.startswith(EXTENSION):
            found[url.removeprefix(EXTENSION)] = decode(ext)
    return found


def foreign_extensions(element: dict[str, Any]) -> list[str]:
    """The URLs of the extensions of ``element`` that are not reseau's."""
    return [
        str(ext.get("url"))
        for ext in element.get("extension") or []
        if not str(ext.get("url", "")).startswith(EXTENSION)
    ]


def with_extensions(resource: dict[str, Any], found: list[dict[str, Any]]) -> dict[str, Any]:
    if found:
        resource["extension"] = [*resource.get("extension", []), *found]
    return resource
