"""Reading a person's network: who is (or was) a member, and when."""

from __future__ import annotations

from typing import Any

PERSON = "person"  # the `by` of an action the person takes on themself


def memberships(doc: dict[str, Any], intervenant: str | None = None) -> list[dict[str, Any]]:
    """Network entries, all or those of one intervenant."""
    found = doc.get("network") or []
    if intervenant is None:
        return list(found)
    return [m for m in found if m.get("intervenant") == intervenant]


def is_current(membership: dict[str, Any], on: str) -> bool:
    """A membership is current on date ``on`` when it started and has not ended."""
    until = membership.get("until")
    return membership["since"] <= on and (until is None or until > on)


def current_members(doc: dict[str, Any], on: str) -> list[dict[str, Any]]:
    return [m for m in memberships(doc) if is_current(m, on)]


def is_member(doc: dict[str, Any], intervenant: str, on: str) -> bool:
    return any(is_current(m, on) for m in memberships(doc, intervenant))


def was_member(doc: dict[str, Any], intervenant: str, on: str | None = None) -> bool:
    """Member at date ``on`` (membership ``until`` included), or ever if no date."""
    for m in memberships(doc, intervenant):
        if on is None:
            return True
        until = m.get("until")
        if m["since"] <= on and (until is None or until >= on):
            return True
    return False


def display_name(doc: dict[str, Any]) -> str:
    identity = doc.get("identity") or {}
    return f"{identity.get('given_name', '')} {identity.get('family_name', '')}".strip()
