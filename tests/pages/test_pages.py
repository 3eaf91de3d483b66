"""Every editorial page type renders as HTML and shows its own content."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_shows_its_intro_the_latest_news_and_open_calls_only(
    client, home, news_page, open_call, closed_call
):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cluster excellence." in html
    assert news_page.title in html
    assert open_call.title in html
    assert closed_call.title not in html


def test_home_page_context_has_the_upcoming_events_hook(client, home):
    response = client.get("/")
    assert response.context["upcoming_events"] == []


def test_home_page_lists_only_news_of_its_own_locale(client, home, news_page):
    from wagtail.models import Locale

    german_home = home.copy_for_translation(Locale.objects.get(language_code="de"))
    german_home.save_revision().publish()
    assert list(german_home.specific.latest_news()) == []
    assert list(home.latest_news()) == [news_page]


def test_standard_page_renders_its_body_blocks(client, standard_page):
    response = client.get("/about/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h2>Successor entities</h2>" in html
    assert "ESCA and ECG." in html


def test_news_index_lists_news_and_filters_by_kind_and_tag(client, news_page, news_index):
    html = client.get("/news/").content.decode()
    assert news_page.title in html
    assert news_page.title not in client.get("/news/?kind=training").content.decode()
    assert news_page.title in client.get("/news/?kind=award").content.decode()
    assert news_page.title in client.get("/news/?tag=Award").content.decode()
    assert news_page.title not in client.get("/news/?tag=nothing").content.decode()


@pytest.mark.parametrize("query", ["?kind=bogus", "?page=abc", "?page=999", "?tag=" + "x" * 500])
def test_news_index_survives_odd_query_strings(client, news_page, query):
    response = client.get("/news/" + query)
    assert response.status_code == 200


def test_news_page_shows_date_kind_intro_body_and_tags(client, news_page):
    response = client.get("/news/cluster-manager-of-the-year/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "19 April 2012" in html
    assert "Award" in html
    assert "The Award honors cluster managers in Europe." in html
    assert "Open to every cluster manager in Europe." in html
    assert "?tag=cluster%20manager" in html


def test_call_page_shows_deadline_in_its_time_zone_and_the_form_while_open(client, open_call):
    response = client.get(open_call.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cluster management trainers." in html
    assert "17:00 CE" in html
    assert 'name="full_name"' in html


def test_closed_call_page_says_it_is_closed_and_shows_no_form(client, closed_call):
    html = client.get(closed_call.url).content.decode()
    assert "17:00 CEST, Friday 24 August 2012" in html
    assert "applications are no longer accepted" in html
    assert 'name="full_name"' not in html


def test_document_library_lists_the_documents_of_its_collections(client, library, brochure):
    response = client.get("/exit-strategies/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Information Brochure on the ECEI Exit Strategies" in html
    assert brochure.url in html
    assert client.get(brochure.url).status_code == 200


def test_footer_shows_partners_successors_and_contact_settings(client, home):
    from wagtail.models import Site

    from pages.models import ClubSettings, Partner, SuccessorEntity

    SuccessorEntity.objects.create(name="European Cluster Group e.V.", acronym="ECG", role="x")
    Partner.objects.create(name="European Commission", role="funder", programme="ProInno / CIP")
    Partner.objects.create(name="Innovation Norway", role="consortium")
    settings = ClubSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_email = "info@clusterclub.eu"
    settings.linkedin_url = "https://www.linkedin.com/company/cluster-club"
    settings.save()
    html = client.get("/").content.decode()
    for text in [
        "European Cluster Group e.V. (ECG)",
        "European Commission",
        "ProInno / CIP",
        "Innovation Norway",
        "mailto:info@clusterclub.eu",
        "https://www.linkedin.com/company/cluster-club",
    ]:
        assert text in html


def test_unknown_page_is_a_404_page(client, home):
    response = client.get("/no-such-page/")
    assert response.status_code == 404


def test_document_library_hides_documents_of_restricted_collections_from_outsiders(
    client, library, brochure
):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import CollectionViewRestriction

    from tests.factories import make_user

    board = brochure.collection.add_child(name="Board papers")
    CollectionViewRestriction.objects.create(collection=board, restriction_type="login")
    minutes = get_document_model()(title="Board minutes 2012", collection=board)
    minutes.file.save("minutes.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))

    html = client.get("/exit-strategies/").content.decode()
    assert brochure.title in html
    assert "Board minutes 2012" not in html
    api = client.get(f"/api/v2/pages/{library.pk}/").json()
    assert [d["title"] for d in api["documents"]] == [brochure.title]

    client.force_login(make_user(username="member-reader"))
    assert "Board minutes 2012" in client.get("/exit-strategies/").content.decode()
    api = client.get(f"/api/v2/pages/{library.pk}/").json()
    assert "Board minutes 2012" in [d["title"] for d in api["documents"]]
