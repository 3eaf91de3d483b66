"""Importing organisations from the admin: upload, preview every bad row with its line
number, create or map unknown sectors, confirm, and the import runs with its progress."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from members import importing
from members.models import Organisation, OrganisationImport, Sector

pytestmark = pytest.mark.django_db

HEADER = "eccp_id,name,country,sectors\n"
GOOD = HEADER + "DK-1,Robotics Denmark,DK,Mobility;Blue economy\nEE-2,Baltic ICT,EE,Space\n"
BAD = HEADER + "DK-1,Robotics Denmark,XX,Mobility\nEE-2,,EE,\n"


@pytest.fixture(autouse=True)
def sectors(db):
    Sector.objects.create(name="Mobility", slug="mobility")
    Sector.objects.create(name="Aerospace", slug="aerospace")


def upload(client, content, name="eccp.csv"):
    return client.post(
        "/admin/members/organisationimport/create/",
        {"file": SimpleUploadedFile(name, content.encode(), content_type="text/csv")},
    )


def test_the_preview_shows_every_bad_row_with_its_line_and_imports_nothing(client, superuser):
    client.force_login(superuser)
    response = upload(client, BAD)
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "country" in preview and "name: required" in preview
    assert ">2<" in preview and ">3<" in preview  # the lines of the two bad rows
    job = OrganisationImport.objects.get()
    posted = client.post(response["Location"], {})
    assert posted.status_code == 200
    job.refresh_from_db()
    assert job.status == "uploaded"
    assert not Organisation.objects.exists()


def test_unknown_sectors_are_listed_and_each_created_or_mapped(
    client, superuser, django_capture_on_commit_callbacks
):
    client.force_login(superuser)
    location = upload(client, GOOD)["Location"]
    preview = client.get(location).content.decode()
    assert "Blue economy" in preview and "Space" in preview
    assert "Every row is valid" in preview

    # The import is enqueued in the confirmation's transaction and runs once it commits.
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(location, {"sector:Blue economy": "", "sector:Space": "aerospace"})
    assert done.status_code == 302

    job = OrganisationImport.objects.get()
    assert job.status == "done"
    assert job.report == {"created": 2, "updated": 0, "unchanged": 0, "sectors_created": 1}
    assert sorted(Sector.objects.values_list("slug", flat=True)) == [
        "aerospace",
        "blue-economy",
        "mobility",
    ]
    baltic = Organisation.objects.get(eccp_id="EE-2")
    assert [s.slug for s in baltic.sectors.all()] == ["aerospace"]
    progress = client.get(f"/admin/members/organisationimport/progress/{job.pk}/").json()
    assert progress["status"] == "done" and progress["percent"] == 100
    assert "2 created" in client.get(location).content.decode()


def test_an_unanswered_sector_refuses_the_confirmation(superuser):
    job = importing.upload_import(file_name="eccp.csv", raw=GOOD.encode(), actor=superuser)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        importing.confirm_import(job=job, sector_mapping={"Space": "aerospace"}, actor=superuser)
    assert "Blue economy" in str(error.value)
    with pytest.raises(ValidationError):
        importing.confirm_import(
            job=job,
            sector_mapping={"Space": "no-such-sector", "Blue economy": ""},
            actor=superuser,
        )
    assert not Organisation.objects.exists()


def test_a_job_is_confirmed_once(superuser, django_capture_on_commit_callbacks):
    from domain.exceptions import Conflict

    job = importing.upload_import(file_name="eccp.csv", raw=GOOD.encode(), actor=superuser)
    mapping = {"Space": "aerospace", "Blue economy": "mobility"}
    with django_capture_on_commit_callbacks(execute=True):
        importing.confirm_import(job=job, sector_mapping=mapping, actor=superuser)
    with pytest.raises(Conflict):
        importing.confirm_import(job=job, sector_mapping=mapping, actor=superuser)
    assert Organisation.objects.count() == 2


def test_a_row_that_turned_bad_after_the_preview_fails_the_whole_import(superuser):
    from members.tasks import run_organisation_import  # noqa: F401 - the task exists

    job = importing.upload_import(file_name="eccp.csv", raw=GOOD.encode(), actor=superuser)
    job.status = OrganisationImport.Status.QUEUED
    job.sector_mapping = {"space": "aerospace", "blue economy": "gone"}
    job.save()
    assert importing.run_import(import_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.report["errors"] and not Organisation.objects.exists()
    assert Sector.objects.count() == 2


@pytest.mark.parametrize(
    "name, content", [("eccp.txt", GOOD), ("eccp.csv", ""), ("eccp.csv", HEADER)]
)
def test_an_unreadable_upload_is_a_form_error(client, superuser, name, content):
    client.force_login(superuser)
    response = upload(client, content, name=name)
    assert response.status_code == 200
    assert not OrganisationImport.objects.exists()


def test_members_cannot_import(client):
    from tests.factories import make_member

    client.force_login(make_member(username="ana").user)
    response = upload(client, GOOD)
    assert response.status_code in (302, 403)
    assert not OrganisationImport.objects.exists()


def test_the_command_line_creates_or_maps_unknown_sectors_through_the_same_service(tmp_path):
    path = tmp_path / "eccp.csv"
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_organisations", str(path), verbosity=0)
    assert not Organisation.objects.exists()
    call_command(
        "import_organisations",
        str(path),
        "--map-sector",
        "Space=aerospace",
        "--create-sectors",
        verbosity=0,
    )
    assert Organisation.objects.count() == 2
    assert Sector.objects.filter(slug="blue-economy").exists()
