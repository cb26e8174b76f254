"""A role is given only by an e-mail address the identity provider has verified."""

from __future__ import annotations

import pytest

from iro_metrics.access.identity import NOT_SENT, REQUIRED, email_verified_policy, identity_from_claims


@pytest.mark.parametrize("verified", [True, "true", "True"])
def test_a_verified_address_is_used(verified):
    person = identity_from_claims({"email": "A.Khan@Council.gov.uk", "email_verified": verified})
    assert (person.email, person.refused) == ("a.khan@council.gov.uk", None)


@pytest.mark.parametrize("policy", [REQUIRED, NOT_SENT])
@pytest.mark.parametrize("verified", [False, "false", 0])
def test_an_address_marked_unverified_is_refused_whatever_the_setting(verified, policy):
    person = identity_from_claims({"email": "a@council.gov.uk", "email_verified": verified}, policy)
    assert person.refused and "not verified" in person.refused


def test_an_absent_claim_is_refused_unless_the_provider_is_named_as_not_sending_it():
    claims = {"preferred_username": "a@council.gov.uk"}  # Entra ID without the optional email claim
    assert identity_from_claims(claims, REQUIRED).refused
    assert identity_from_claims(claims, NOT_SENT) == identity_from_claims({"email": "a@council.gov.uk"}, NOT_SENT)
    assert identity_from_claims(claims, NOT_SENT).refused is None


def test_the_setting_defaults_to_required_and_a_wrong_one_is_named():
    assert email_verified_policy(None) == REQUIRED
    assert email_verified_policy({"email_verified": "not sent"}) == NOT_SENT
    with pytest.raises(ValueError, match="'sometimes'"):
        email_verified_policy({"email_verified": "sometimes"})
