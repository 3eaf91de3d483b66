"""/api/organisations/: public reads, filters, strict parameters, co-admin PATCH."""

import datetime

import pytest

from members.models import Organisation, QualityLabel
from tests.factories import make_member, make_organisation

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_list_published_organisations_with_the_contract_fields(
    api_client, organisation, gold_label, settings
):
    settings.SITE_URL = "https://club.example.eu"
    make_organisation(name="Hidden Draft", is_published=False)

    response = api_client.get("/api/organisations/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert [o["name"] for o in body["results"]] == ["Robotics Cluster"]
    item = body["results"][0]
    assert item["slug"] == organisation.slug
    assert item["country"] == "DK"
    assert item["sectors"] == [{"slug": "digital-industries", "name": "Digital industries"}]
    assert sorted(item["technologies"]) == ["AI", "Robotics"]
    assert item["label"] == {"level": "gold", "valid_until": gold_label.valid_until.isoformat()}
    assert item["eccp_url"] == organisation.eccp_url
    assert item["url"] == f"https://club.example.eu/organisations/{organisation.slug}/"


def test_an_organisation_without_a_valid_label_has_label_null(api_client, organisation, today):
    QualityLabel.objects.create(
        organisation=organisation,
        level="silver",
        awarded_on=today - datetime.timedelta(days=800),
        valid_until=today - datetime.timedelta(days=1),
    )

    response = api_client.get(f"/api/organisations/{organisation.slug}/")

    assert response.status_code == 200
    assert response.json()["label"] is None


def test_the_current_label_is_the_highest_valid_one(api_client, organisation, today):
    for level in ("bronze", "gold", "silver"):
        QualityLabel.objects.create(
            organisation=organisation,
            level=level,
            awarded_on=today - datetime.timedelta(days=10),
            valid_until=today + datetime.timedelta(days=10),
        )

    assert api_client.get(f"/api/organisations/{organisation.slug}/").json()["label"]["level"] == (
        "gold"
    )
    assert organisation.current_label().level == "gold"


def test_an_unpublished_organisation_is_a_404_for_the_public_but_visible_to_its_coadmin(
    api_client, coadmin, organisation
):
    Organisation.objects.filter(pk=organisation.pk).update(is_published=False)
    assert api_client.get(f"/api/organisations/{organisation.slug}/").status_code == 404

    api_client.force_authenticate(coadmin.user)
    assert api_client.get(f"/api/organisations/{organisation.slug}/").status_code == 200


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "at"}, ["Alpine Wood"]),
        ({"sector": "digital-industries"}, ["Robotics Cluster"]),
        ({"technology": "robotics"}, ["Robotics Cluster"]),
        ({"q": "timber"}, ["Alpine Wood"]),
        ({"label": "gold"}, ["Robotics Cluster"]),
        ({"label": "any"}, ["Robotics Cluster"]),
        ({"label": "none"}, ["Alpine Wood"]),
        ({"label": "silver"}, []),
        ({"kind": "research"}, ["Alpine Wood"]),
    ],
)
def test_the_list_filters_narrow_the_results(
    api_client, organisation, gold_label, params, expected
):
    make_organisation(
        name="Alpine Wood",
        country="AT",
        kind="research",
        description="Timber construction",
        sectors=["Wood"],
    )

    response = api_client.get("/api/organisations/", params)

    assert response.status_code == 200
    assert [o["name"] for o in response.json()["results"]] == expected


@pytest.mark.parametrize(
    "params",
    [{"colour": "blue"}, {"country": "XX"}, {"label": "platinum"}, {"kind": "pub"}],
)
def test_unknown_parameters_and_meaningless_values_are_a_400(api_client, organisation, params):
    response = api_client.get("/api/organisations/", params)

    assert response.status_code == 400
    assert response.json()


def test_detail_refuses_list_filters(api_client, organisation):
    assert api_client.get(f"/api/organisations/{organisation.slug}/?q=x").status_code == 400


def test_the_list_costs_the_same_queries_for_many_organisations(
    api_client, django_assert_max_num_queries, today
):
    def add(n):
        for i in range(n):
            org = make_organisation(
                name=f"Org {i}", sectors=["Energy", "Health"], technologies=["Hydrogen", "IoT"]
            )
            QualityLabel.objects.create(
                organisation=org,
                level="bronze",
                awarded_on=today,
                valid_until=today + datetime.timedelta(days=30),
            )

    add(3)
    with django_assert_max_num_queries(6) as small:
        assert api_client.get("/api/organisations/?page_size=3").status_code == 200
    add(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = api_client.get("/api/organisations/?page_size=30")
    assert len(response.json()["results"]) == 30


# --- PATCH: the permission matrix ------------------------------------------------------------


def test_anonymous_cannot_patch_an_organisation(api_client, organisation):
    response = api_client.patch(f"/api/organisations/{organisation.slug}/", {"city": "Odense"})
    assert response.status_code in (401, 403)
    organisation.refresh_from_db()
    assert organisation.city == ""


def test_a_member_who_does_not_administer_gets_403(api_client, organisation, member):
    api_client.force_authenticate(member.user)
    response = api_client.patch(f"/api/organisations/{organisation.slug}/", {"city": "Odense"})
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.city == ""


def test_a_coadmin_edits_public_fields_of_their_organisation(api_client, organisation, coadmin):
    api_client.force_authenticate(coadmin.user)
    response = api_client.patch(
        f"/api/organisations/{organisation.slug}/",
        {"city": "Odense", "technologies": ["Drones"], "sectors": ["digital-industries"]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["city"] == "Odense"
    assert response.json()["technologies"] == ["Drones"]


def test_a_coadmin_cannot_set_staff_only_fields(api_client, organisation, coadmin):
    api_client.force_authenticate(coadmin.user)
    response = api_client.patch(
        f"/api/organisations/{organisation.slug}/",
        {"eccp_validation": "validated", "is_published": False},
    )
    assert response.status_code in (400, 403)
    organisation.refresh_from_db()
    assert organisation.eccp_validation == "none"
    assert organisation.is_published


def test_a_coadmin_of_another_organisation_gets_403(api_client, organisation, coadmin):
    other = make_organisation(name="Other Cluster")
    api_client.force_authenticate(coadmin.user)
    response = api_client.patch(f"/api/organisations/{other.slug}/", {"city": "Tallinn"})
    assert response.status_code == 403


def test_an_editor_edits_any_organisation_including_staff_fields(api_client, organisation, editor):
    api_client.force_authenticate(editor)
    response = api_client.patch(
        f"/api/organisations/{organisation.slug}/", {"eccp_validation": "validated"}
    )
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.eccp_validation == "validated"


@pytest.mark.parametrize(
    "payload",
    [
        {"eccp_url": "https://example.org/profile"},
        {"sectors": ["no-such-sector"]},
        {"year_founded": 1200},
        {"technologies": "x" * 200},
        {"co_admins": [1]},
    ],
)
def test_bad_organisation_input_is_a_400_and_stores_nothing(
    api_client, organisation, coadmin, payload
):
    api_client.force_authenticate(coadmin.user)
    before = api_client.get(f"/api/organisations/{organisation.slug}/").json()

    response = api_client.patch(f"/api/organisations/{organisation.slug}/", payload)

    assert response.status_code == 400
    assert api_client.get(f"/api/organisations/{organisation.slug}/").json() == before


def test_put_is_not_allowed(api_client, organisation, coadmin):
    api_client.force_authenticate(coadmin.user)
    response = api_client.put(f"/api/organisations/{organisation.slug}/", {"city": "x"})
    assert response.status_code == 405


def test_an_organisation_change_is_announced_after_commit(
    api_client, organisation, coadmin, django_capture_on_commit_callbacks
):
    from members.signals import organisation_changed

    received = []

    def listener(sender, organisation, deleted, **kwargs):
        received.append((organisation.slug, deleted))

    organisation_changed.connect(listener)
    try:
        api_client.force_authenticate(coadmin.user)
        with django_capture_on_commit_callbacks(execute=True):
            api_client.patch(f"/api/organisations/{organisation.slug}/", {"city": "Aarhus"})
    finally:
        organisation_changed.disconnect(listener)
    assert received == [(organisation.slug, False)]


def test_members_of_unrelated_accounts_do_not_change_visibility(api_client, organisation):
    make_member(username="someone")
    assert api_client.get("/api/organisations/").json()["count"] == 1


def test_a_nul_character_in_a_filter_never_becomes_a_server_error(api_client, organisation, member):
    assert api_client.get("/api/organisations/?q=robot%00ics&technology=%00").status_code == 200
    api_client.force_authenticate(member.user)
    assert api_client.get("/api/members/?q=%00&expertise=a%00").status_code == 200


def test_an_id_beyond_any_integer_is_a_404(api_client, member):
    api_client.force_authenticate(member.user)
    assert api_client.get(f"/api/members/{'9' * 30}/").status_code == 404
