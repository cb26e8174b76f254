"""Which e-mail address a signed-in person may be given a role by (no Streamlit here).

A role is given by e-mail address, so the address must be one the identity provider has checked
belongs to the person: the ID token's ``email_verified`` claim must be true. A provider that never
sends the claim (Microsoft Entra ID, whose addresses the council's directory administers) is
named in ``.streamlit/secrets.toml``:

    [sign_in]
    email_verified = "not sent"   # default "required"

With ``"not sent"`` an absent claim is accepted; a claim that says false is refused either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

REQUIRED = "required"
NOT_SENT = "not sent"
POLICIES = (REQUIRED, NOT_SENT)


@dataclass(frozen=True)
class Identity:
    """The e-mail address a person signed in with and, when it may not be used, why not."""

    email: str | None
    refused: str | None = None  # why this address may not be given a role (None when it may)


def email_verified_policy(section: Mapping[str, Any] | None) -> str:
    """The ``[sign_in] email_verified`` setting ("required" unless set); a ValueError names a wrong one."""
    value = (section or {}).get("email_verified", REQUIRED)
    if value not in POLICIES:
        raise ValueError(
            f"[sign_in] email_verified in .streamlit/secrets.toml is {value!r}; use one of "
            + ", ".join(repr(p) for p in POLICIES)
        )
    return str(value)


def _is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def identity_from_claims(claims: Mapping[str, Any], policy: str = REQUIRED) -> Identity:
    """The address from the ``email`` claim, else ``preferred_username`` (Entra ID), checked as verified."""
    email = None
    for claim in ("email", "preferred_username"):
        value = claims.get(claim)
        if isinstance(value, str) and "@" in value:
            email = value.strip().lower()
            break
    if email is None:
        return Identity(None)
    verified = claims.get("email_verified")
    if verified is None and policy == NOT_SENT:
        return Identity(email)
    if verified is None:
        return Identity(
            email,
            "your identity provider did not say that it has verified this e-mail address (no email_verified "
            "claim), so it cannot give you a role",
        )
    if not _is_true(verified):
        return Identity(
            email, "your identity provider says this e-mail address is not verified, so it cannot give you a role"
        )
    return Identity(email)
