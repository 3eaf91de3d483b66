"""Private pages and documents in private collections never reach someone who may not
see them: not through API v2, not through its search, not through a direct URL."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site

from pages.models import StandardPage
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    root = Site.objects.get(is_default_site=True).root_page
    public = root.add_child(instance=StandardPage(title="Exit strategies overview"))
    private = root.add_child(instance=StandardPage(title="Exit strategies board minutes"))
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    below_private = private.add_child(instance=StandardPage(title="Exit strategies annex"))
    return public, private, below_private


@pytest.fixture
def documents():
    root = Collection.get_first_root_node()
    board = root.add_child(name="Board")
    minutes = board.add_child(name="Board minutes")
    CollectionViewRestriction.objects.create(collection=board, restriction_type="login")
    document_model = get_document_model()

    def add(title, collection):
        document = document_model(title=title, collection=collection)
        document.file.save(f"{title.lower().replace(' ', '-')}.pdf", ContentFile(b"%PDF-1.4\n"))
        return document

    return (
        add("Brochure", root),
        add("Board report", board),
        add("Minutes March", minutes),
    )


def titles(response):
    return {item["title"] for item in response.json()["items"]}


def test_private_pages_and_their_children_are_not_listed_in_api_v2(client, pages):
    listed = titles(client.get("/api/v2/pages/", {"type": "club.StandardPage", "fields": "title"}))
    assert "Exit strategies overview" in listed
    assert "Exit strategies board minutes" not in listed
    assert "Exit strategies annex" not in listed


def test_private_pages_are_not_found_by_id_path_or_search(client, pages):
    _, private, below = pages
    assert client.get(f"/api/v2/pages/{private.pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{below.pk}/").status_code == 404
    found = client.get("/api/v2/pages/find/", {"html_path": private.url})
    assert found.status_code == 404
    searched = titles(client.get("/api/v2/pages/", {"search": "exit strategies"}))
    assert searched == {"Exit strategies overview"}


def test_private_pages_redirect_anonymous_visitors_to_sign_in(client, pages):
    _, private, below = pages
    for page in (private, below):
        response = client.get(page.url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"] or "login" in response["Location"]


def test_documents_in_private_collections_and_sub_collections_are_not_listed(client, documents):
    listed = titles(client.get("/api/v2/documents/"))
    assert listed == {"Brochure"}
    assert titles(client.get("/api/v2/documents/", {"search": "board"})) == set()


def test_private_documents_are_not_served_by_id_or_direct_url(client, documents):
    public, board_report, minutes = documents
    assert client.get(f"/api/v2/documents/{board_report.pk}/").status_code == 404
    assert client.get(public.url).status_code == 200
    for document in (board_report, minutes):
        response = client.get(document.url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_signed_in_members_may_download_documents_of_login_collections(client, documents):
    _, board_report, minutes = documents
    client.force_login(make_user(username="reader"))
    assert client.get(minutes.url).status_code == 200
    assert client.get(board_report.url).status_code == 200
