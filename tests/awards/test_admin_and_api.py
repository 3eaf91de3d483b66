"""The awards in the Wagtail admin (lists, CSV export) and the public API."""

import pytest
from rest_framework.test import APIClient

from awards.models import Laureate
from tests.awards.factories import make_candidate, make_cycle, make_editor, submitted

pytestmark = pytest.mark.django_db


def test_editors_export_the_applications_as_csv(client):
    cycle = make_cycle()
    submitted(cycle, applicant=make_candidate(name="Anna Berger"), title="Three hundred members")
    client.force_login(make_editor())
    listing = client.get("/admin/awards/application/")
    assert listing.status_code == 200
    assert "Three hundred members" in listing.content.decode()
    export = client.get("/admin/awards/application/?export=csv")
    assert export.status_code == 200
    assert "Three hundred members" in b"".join(export.streaming_content).decode()
    assert client.get("/admin/awards/awardcycle/").status_code == 200
    assert client.get(f"/admin/awards/awardcycle/edit/{cycle.pk}/").status_code == 200


def test_members_get_no_admin_listing_of_applications(client):
    cycle = make_cycle()
    candidate = make_candidate(name="Anna Berger")
    submitted(cycle, applicant=candidate)
    client.force_login(candidate.user)
    response = client.get("/admin/awards/application/")
    assert response.status_code in (302, 403)


def test_the_api_lists_published_cycles_with_categories_and_phases():
    cycle = make_cycle(time_zone="Europe/Copenhagen")
    make_cycle(is_published=False, title="Hidden draft cycle")
    answer = APIClient().get("/api/awards/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 1
    (item,) = body["results"]
    assert item["title"] == cycle.title
    assert item["current_phase"] == "applications"
    assert [c["name"] for c in item["categories"]] == ["Cluster manager of the year"]
    assert {p["kind"] for p in item["phases"]} == {
        "applications",
        "scoring",
        "deliberation",
        "announcement",
    }
    # Times in the cycle's own time zone (Copenhagen is one or two hours ahead of UTC).
    assert item["phases"][0]["starts"].endswith(("+01:00", "+02:00"))
    assert [c["weight"] for c in item["criteria"]] == [3, 1]
    assert "applications" not in item and "scores" not in str(item)


def test_the_api_lists_laureates_of_the_archive_and_refuses_unknown_parameters():
    Laureate.objects.create(
        title="European Cluster Manager of the Year 2012",
        year=2012,
        name="Micael Gustafsson",
        organisation_name="Paper Province",
        announced_on="2012-04-19",
    )
    answer = APIClient().get("/api/awards/laureates/")
    assert answer.status_code == 200
    (item,) = answer.json()["results"]
    assert item["name"] == "Micael Gustafsson"
    assert item["organisation"] == {"name": "Paper Province", "slug": None}
    assert APIClient().get("/api/awards/laureates/?year=x").status_code == 400


def test_the_api_names_a_cycle_its_categories_and_criteria_in_the_language_asked_for():
    cycle = make_cycle()
    cycle.title_de = "Europäische Clustermanagerin oder Europäischer Clustermanager des Jahres"
    cycle.save()
    category = cycle.categories.get()
    category.name_de = "Clustermanagement des Jahres"
    category.save()
    criterion = cycle.criteria.get(name_en="Impact")
    criterion.name_de = "Wirkung"
    criterion.save()

    german = APIClient().get("/api/awards/", {"locale": "de"})
    assert german["Content-Language"] == "de"
    (item,) = german.json()["results"]
    assert item["title"] == cycle.title_de
    assert [c["name"] for c in item["categories"]] == ["Clustermanagement des Jahres"]
    # Innovation has no German name yet: English.
    assert [c["name"] for c in item["criteria"]] == ["Wirkung", "Innovation"]
    (english,) = APIClient().get("/api/awards/").json()["results"]
    assert english["title"] == cycle.title_en
