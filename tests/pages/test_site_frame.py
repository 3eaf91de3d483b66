"""The site frame (header, footer) renders even for a host that no Wagtail site answers."""

import pytest
from wagtail.models import Site

pytestmark = pytest.mark.django_db


def test_a_page_renders_when_no_wagtail_site_exists(client):
    Site.objects.all().delete()
    response = client.get("/organisations/")
    assert response.status_code == 200
    assert "Cluster Club" in response.content.decode()
