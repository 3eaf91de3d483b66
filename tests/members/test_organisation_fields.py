"""Who may change which organisation field is said once (members/services.py); the co-admins'
form, the API, the importer and the admin read it, and the admin and the importer store
through the same service as everyone else."""

import pytest

from members import services
from members.api import ORGANISATION_PATCH_FIELDS, OrganisationUpdateSerializer
from members.forms import OrganisationForm
from members.importing import KNOWN_KEYS
from members.models import Activity, Organisation, Sector
from members.wagtail_hooks import OrganisationAdmin
from tests.factories import make_user

pytestmark = pytest.mark.django_db

EVERY_FIELD = set(services.ORGANISATION_COADMIN_FIELDS + services.ORGANISATION_STAFF_FIELDS)


def panel_fields(panel) -> set[str]:
    children = getattr(panel, "children", None)
    if children is None:
        return {panel.field_name}
    return set().union(*(panel_fields(child) for child in children))


def test_the_co_admins_form_offers_their_fields_but_the_logo():
    form_fields = set(OrganisationForm().fields)
    assert form_fields == set(services.ORGANISATION_COADMIN_FIELDS) - {"logo"}


def test_the_api_takes_every_field_but_uploads_and_its_address_and_describes_each():
    assert EVERY_FIELD - {"logo", "slug"} == ORGANISATION_PATCH_FIELDS
    assert set(OrganisationUpdateSerializer().fields) == ORGANISATION_PATCH_FIELDS


def test_an_export_row_may_set_every_field_but_uploads_and_publication():
    assert EVERY_FIELD - {"logo", "is_published"} == KNOWN_KEYS


def test_the_admin_lays_out_every_field_and_the_co_admins():
    assert panel_fields(OrganisationAdmin.edit_handler) == EVERY_FIELD | {"co_admins"}


def test_a_co_admin_may_not_patch_an_editors_field_but_an_editor_may(
    api_client, organisation, editor
):
    coadmin = make_user(username="cora")
    organisation.co_admins.add(coadmin)
    api_client.force_authenticate(coadmin)
    url = f"/api/organisations/{organisation.slug}/"
    refused = api_client.patch(url, {"name": "Robots"}, format="json")
    assert refused.status_code == 400
    assert "name" in refused.json()
    api_client.force_authenticate(editor)
    accepted = api_client.patch(url, {"name": "Robots"}, format="json")
    assert accepted.status_code == 200
    assert Organisation.objects.get(pk=organisation.pk).name == "Robots"


def admin_form(organisation=None, **overrides) -> dict:
    sector = Sector.objects.get_or_create(slug="energy", defaults={"name": "Energy"})[0]
    data = {
        "name": organisation.name if organisation else "Hydrogen Valley Cluster",
        "slug": organisation.slug if organisation else "hydrogen-valley",
        "kind": "cluster_organisation",
        "country": "DE",
        "region": "",
        "city": "Hamburg",
        "website": "https://hydrogen.example.org",
        "contact_email": "",
        "logo": "",
        "description": "Hydrogen from the North Sea.",
        "is_published": "on",
        "sectors": [sector.pk],
        "technologies": "Electrolysis, Fuel cells",
        "value_chains": "",
        "members_sme": "12",
        "members_large": "3",
        "members_research": "2",
        "members_other": "0",
        "year_founded": "2015",
        "eccp_id": (organisation.eccp_id or "") if organisation else "DE-0999",
        "eccp_url": "",
        "eccp_validation": "none",
        "co_admins": [],
    }
    data.update(overrides)
    return data


def test_an_editor_adds_an_organisation_in_the_admin_through_the_service(client, editor):
    client.force_login(editor)
    response = client.post("/admin/members/organisation/create/", admin_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(slug="hydrogen-valley")
    assert organisation.technology_names() == ["Electrolysis", "Fuel cells"]
    assert [s.slug for s in organisation.sectors.all()] == ["energy"]
    assert organisation.city == "Hamburg"


def test_an_editors_admin_edit_is_recorded_like_a_co_admins(client, editor, organisation):
    client.force_login(editor)
    url = f"/admin/members/organisation/edit/{organisation.pk}/"
    response = client.post(url, admin_form(organisation, city="Aarhus", technologies="Robotics"))
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation.refresh_from_db()
    assert organisation.city == "Aarhus"
    assert organisation.technology_names() == ["Robotics"]
    activity = Activity.objects.get(
        organisation=organisation, verb=Activity.Verb.ORGANISATION_UPDATED
    )
    assert "city" in activity.summary
    assert "technologies" in activity.summary


def test_a_bad_value_in_the_admin_is_a_form_error_and_changes_nothing(client, editor, organisation):
    client.force_login(editor)
    url = f"/admin/members/organisation/edit/{organisation.pk}/"
    response = client.post(url, admin_form(organisation, city="Aarhus", website="not a url"))
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.city != "Aarhus"
