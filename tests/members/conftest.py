"""Fixtures of the members tests: the five roles of the permission matrix and some data."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from members.models import QualityLabel
from tests.factories import make_member, make_organisation


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Accounts are made in nearly every test; the production hasher would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def organisation(db):
    return make_organisation(
        name="Robotics Cluster",
        country="DK",
        sectors=["Digital industries"],
        technologies=["Robotics", "AI"],
        eccp_id="DK-0001",
        eccp_url="https://clustercollaboration.eu/cluster-organisations/robotics",
    )


@pytest.fixture
def coadmin(db, organisation):
    profile = make_member(username="coadmin", display_name="Co Admin")
    organisation.co_admins.add(profile.user)
    return profile


@pytest.fixture
def gold_label(organisation, today):
    return QualityLabel.objects.create(
        organisation=organisation,
        level=QualityLabel.Level.GOLD,
        awarded_on=today - datetime.timedelta(days=100),
        valid_until=today + datetime.timedelta(days=600),
    )


def image_bytes(*, size=(32, 32), image_format="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.fixture
def png_bytes():
    return image_bytes()
