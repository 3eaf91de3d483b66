"""Wagtail's API v2 serves every page type with its own fields, finds pages by path, refuses
unknown parameters with a 400 JSON message and serves editors' drafts to a headless front end."""

import re

import pytest
from django.urls import reverse
from wagtail.models import Locale

pytestmark = pytest.mark.django_db


def results(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_news_pages_expose_date_kind_intro_body_tags_and_image_rendition(client, news_page):
    fields = "date,kind,intro,body,tags,image,image_rendition,image_thumbnail"
    (item,) = results(client, f"/api/v2/pages/?type=club.NewsPage&fields={fields}")
    assert item["title"] == news_page.title
    assert item["date"] == "2012-04-19"
    assert item["kind"] == "award"
    assert item["intro"] == "The Award honors cluster managers in Europe."
    assert item["body"][0]["type"] == "paragraph"
    assert sorted(item["tags"]) == ["award", "cluster manager"]
    assert item["image"]["id"] == news_page.image_id
    rendition = item["image_rendition"]
    assert (rendition["width"], rendition["height"]) == (1200, 630)
    assert rendition["url"].endswith(".jpg")
    assert item["image_thumbnail"]["width"] == 400


def test_call_pages_expose_deadline_time_zone_and_whether_they_are_open(
    client, open_call, closed_call
):
    fields = "deadline,deadline_timezone,deadline_display,is_open,opening_text,eligibility"
    items = results(client, f"/api/v2/pages/?type=club.CallPage&fields={fields}&order=title")
    by_slug = {item["meta"]["slug"]: item for item in items}
    closed = by_slug["instructors"]
    assert closed["deadline"] == "2012-08-24T17:00:00+02:00"
    assert closed["deadline_timezone"] == "Europe/Brussels"
    assert closed["deadline_display"] == "17:00 CEST, Friday 24 August 2012"
    assert closed["is_open"] is False
    assert by_slug["tutors"]["is_open"] is True
    assert "Cluster management trainers." in closed["eligibility"]


def test_home_standard_and_news_index_pages_expose_their_fields(
    client, home, standard_page, news_index
):
    (item,) = results(client, "/api/v2/pages/?type=club.HomePage&fields=intro,image_rendition")
    assert item["intro"] == "<p>Cluster excellence.</p>"
    assert item["image_rendition"]["url"]
    (item,) = results(client, "/api/v2/pages/?type=club.StandardPage&fields=intro,body")
    assert [block["type"] for block in item["body"]] == ["heading", "paragraph"]
    (item,) = results(client, "/api/v2/pages/?type=club.NewsIndexPage&fields=intro")
    assert item["intro"] == "<p>All the news.</p>"


def test_document_library_exposes_its_documents(client, library, brochure):
    (item,) = results(client, "/api/v2/pages/?type=club.DocumentLibraryPage&fields=documents")
    (document,) = item["documents"]
    assert document["title"] == brochure.title
    assert document["collection"] == "ECEI Exit Strategies"
    assert document["file_extension"] == "pdf"


def test_page_detail_has_all_fields_of_its_type(client, news_page):
    response = client.get(f"/api/v2/pages/{news_page.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert {"date", "kind", "intro", "body", "tags", "image_rendition"} <= set(body)
    assert body["meta"]["html_url"].endswith("/news/cluster-manager-of-the-year/")


def test_images_and_documents_endpoints_list_uploads(client, image, brochure):
    images = client.get("/api/v2/images/").json()["items"]
    assert [i["title"] for i in images] == ["Copenhagen harbour"]
    documents = client.get("/api/v2/documents/").json()["items"]
    assert [d["title"] for d in documents] == [brochure.title]


def test_find_by_html_path_redirects_to_the_page(client, news_page):
    response = client.get("/api/v2/pages/find/?html_path=/news/cluster-manager-of-the-year/")
    assert response.status_code == 302
    assert response["Location"].split("?")[0].endswith(f"/api/v2/pages/{news_page.pk}/")


def test_find_by_locale_prefixed_html_path_finds_the_translation(client, news_page, home):
    german = Locale.objects.get(language_code="de")
    german_news = news_page.copy_for_translation(german, copy_parents=True, alias=True)
    response = client.get("/api/v2/pages/find/?html_path=/de/news/cluster-manager-of-the-year/")
    assert response.status_code == 302
    assert response["Location"].split("?")[0].endswith(f"/api/v2/pages/{german_news.pk}/")


def test_find_an_unknown_path_is_a_404_json(client, home):
    response = client.get("/api/v2/pages/find/?html_path=/nowhere/")
    assert response.status_code == 404
    assert "message" in response.json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/?bogus=1",
        "/api/v2/pages/?type=club.NoSuchPage",
        "/api/v2/pages/?type=nonsense",
        "/api/v2/pages/?fields=no_such_field",
        "/api/v2/pages/?type=club.NewsPage&fields=date(nested)",
        "/api/v2/pages/?order=no_such_field",
        "/api/v2/pages/?limit=lots",
        "/api/v2/pages/?offset=-1",
        "/api/v2/pages/?child_of=abc",
        "/api/v2/images/?bogus=1",
        "/api/v2/documents/?bogus=1",
        "/api/v2/page_preview/",
        "/api/v2/page_preview/?content_type=auth.user&token=x",
        "/api/v2/page_preview/?content_type=nothing&token=x",
    ],
)
def test_bad_api_parameters_are_a_400_json_message(client, news_page, url):
    response = client.get(url)
    assert response.status_code == 400, (url, response.status_code)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["message"]


def test_an_unknown_locale_is_a_404_json(client, news_page):
    response = client.get("/api/v2/pages/?locale=xx")
    assert response.status_code == 404
    assert response.json()["message"]


def test_preview_api_serves_the_draft_of_a_stored_preview(client, news_page):
    news_page.title = "Draft: Micael Gustafsson"
    preview = news_page.create_page_preview()
    response = client.get(f"/api/v2/page_preview/?content_type=club.newspage&token={preview.token}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Draft: Micael Gustafsson"
    assert body["kind"] == "award"
    forged = client.get("/api/v2/page_preview/?content_type=club.newspage&token=forged:token")
    assert forged.status_code == 404


def test_admin_preview_hands_the_front_end_a_token_for_the_draft(client, superuser, news_page):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[news_page.pk])
    data = nested_form_data(
        {
            "title": "Unpublished headline",
            "slug": news_page.slug,
            "date": "2012-04-19",
            "kind": "award",
            "intro": "Draft intro",
            "body": streamfield([]),
            "tags": "award",
        }
    )
    posted = client.post(url, data)
    assert posted.status_code == 200
    assert posted.json()["is_valid"] is True, posted.json()
    shown = client.get(url)
    assert shown.status_code == 200
    match = re.search(r'src="([^"]*token=[^"]+)"', shown.content.decode())
    assert match, shown.content.decode()[:2000]
    query = match.group(1).split("?", 1)[1].replace("&amp;", "&")
    draft = client.get(f"/api/v2/page_preview/?{query}").json()
    assert draft["title"] == "Unpublished headline"
    rendered = client.get(f"/preview/?{query}")
    assert rendered.status_code == 200
    assert "Unpublished headline" in rendered.content.decode()
    assert "frame-ancestors 'self'" in rendered["Content-Security-Policy"]


def test_news_can_be_filtered_by_kind_and_tag_in_the_api(client, news_page):
    base = "/api/v2/pages/?type=club.NewsPage"
    assert [i["id"] for i in results(client, f"{base}&kind=award")] == [news_page.pk]
    assert results(client, f"{base}&kind=training") == []
    assert [i["id"] for i in results(client, f"{base}&tags=award")] == [news_page.pk]
