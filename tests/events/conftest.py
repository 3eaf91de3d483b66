"""Fixtures of the events tests: an event, a factory of event pages, an approved member."""

import pytest

from tests.factories import make_event


@pytest.fixture
def event_factory(db):
    return make_event


@pytest.fixture
def event(db):
    return make_event(capacity=2, city="Copenhagen", country="DK")


@pytest.fixture
def approved_member(db):
    from members.models import Membership
    from tests.factories import make_member, make_organisation

    profile = make_member(username="clustermanager")
    Membership.objects.create(
        member=profile, organisation=make_organisation(), status=Membership.Status.APPROVED
    )
    return profile


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hundreds of accounts are made here; hashing their passwords properly is not tested."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
