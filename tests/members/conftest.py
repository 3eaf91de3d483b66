"""Fixtures of the members tests: the five roles of the permission matrix and some data."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from members.models import QualityLabel
from tests.factories import make_member, make_organisation, make_user


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Accounts are made in nearly every test; the production hasher would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    """A Wagtail editor: staff, in the Editors group with the rights migration 0003 grants.

    Another app's transactional test may flush the groups that migrations created; the
    group is then made again the way Wagtail and migration 0003 make it.
    """
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.filter(name="Editors").first()
    if group is None:
        group = Group.objects.create(name="Editors")
        group.permissions.add(*Permission.objects.filter(codename="access_admin"))
        grant_editor_permissions()
    user = make_user(username="editor", is_staff=True)
    user.groups.add(group)
    return user


def grant_editor_permissions():
    """Run migration 0003's grant against the live models."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("members.migrations.0003_editors_manage_members")
    migration.grant(apps, None)


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
