"""Every Wagtail page type costs the same number of queries with one item listed as with a
full page: the home page's sections, the news, the calls, a call's form, the document
library, a standard page's blocks, and the privacy policy and terms (which list nothing
that grows, so only their ceiling is checked)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page

from events.models import EventIndexPage
from forum import services as forum
from forum.models import Category
from members.models import Organisation
from pages.models import CallFormField, CallIndexPage, CallPage, NewsPage
from privacy.models import PrivacyPolicyPage, TermsPage
from tests.factories import make_event, make_member, make_organisation
from tests.query_counts import assert_flat, member_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Dozens of accounts are made per test; the production hasher would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clients(home):
    """A member and an anonymous reader; the policies are published under the home page."""
    client, _ = member_client()
    return {"member": client, "anonymous": Client()}


def add_news(index, numbers, *, image=None):
    for n in numbers:
        page = NewsPage(
            title=f"News number {n:02}",
            slug=f"news-{n}",
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
            intro=f"What happened, part {n}.",
            image=image,
        )
        index.add_child(instance=page)


def add_call(parent, n, *, open_=True, fields=2):
    deadline = timezone.localdate() + datetime.timedelta(days=(n + 1) * (1 if open_ else -1))
    page = CallPage(
        title=f"Call number {n:02}",
        slug=f"call-{n}",
        opening_text="<p>Call for Expression of Interest.</p>",
        deadline_date=deadline,
    )
    page.form_fields = [
        CallFormField(sort_order=i, label=f"Field {i:02}", field_type="singleline")
        for i in range(fields)
    ]
    parent.add_child(instance=page)
    return page


def add_document(collection, n):
    document = get_document_model()(title=f"Document number {n:02}", collection=collection)
    document.file.save(f"doc-{n}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    return document


def test_the_home_page_costs_the_same_for_full_sections(
    home, clients, news_index, image, django_assert_max_num_queries
):
    """News, open calls, events, discussions, organisations, members and partner requests."""
    events = EventIndexPage(title="Events", slug="events")
    home.add_child(instance=events)
    category = Category.objects.create(name="Talk", slug="talk")

    def add(numbers):
        add_news(news_index, numbers)
        for n in numbers:
            add_call(home, n)
            make_event(index=events, title=f"Event number {n:02}", starts_in=datetime.timedelta(n))
            author = make_member(display_name=f"Member {n:02}")
            forum.start_thread(
                category=category, author=author.user, title=f"Thread number {n:02}", body="Hi."
            )
            organisation = make_organisation(name=f"Cluster {n:02}", logo=image)
            partner_request(author.user, organisation, n)

    add([0])
    assert_flat(
        django_assert_max_num_queries,
        path="/",
        clients=clients,
        grow=lambda: add(range(1, 50)),
        shows=[f"Call number {n:02}" for n in range(50)],
    )
    assert Organisation.objects.filter(logo=image).count() == 50


def partner_request(author, organisation, n):
    from partnering import services as partnering

    organisation.co_admins.add(author)
    partnering.create_request(
        author=author,
        organisation=organisation,
        kind="project_partner",
        title=f"Request number {n:02}",
        description="We seek a partner for a storage pilot.",
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        publish=True,
    )


def test_the_news_index_costs_the_same_for_a_full_page(
    news_index, clients, image, django_assert_max_num_queries
):
    add_news(news_index, [0], image=image)
    assert_flat(
        django_assert_max_num_queries,
        path=news_index.url,
        clients=clients,
        grow=lambda: add_news(news_index, range(1, 15), image=image),
        shows=[f"News number {n:02}" for n in range(5, 15)],
    )


def test_a_news_page_costs_the_same_for_many_tags_and_blocks(
    news_page, clients, image, brochure, standard_page, django_assert_max_num_queries
):
    def set_tags_and_body(numbers):
        news_page.tags.set([f"tag {n:02}" for n in numbers])
        news_page.body = body_blocks(numbers, image=image, document=brochure, page=standard_page)
        news_page.save()

    set_tags_and_body([0])
    assert_flat(
        django_assert_max_num_queries,
        path=news_page.url,
        clients=clients,
        grow=lambda: set_tags_and_body(range(30)),
        shows=[f"tag {n:02}" for n in range(30)] + [f"Caption {n:02}" for n in range(30)],
    )


def body_blocks(numbers, *, image, document, page, links=False):
    """Blocks that each reach another row: an image, a document, a page; with ``links``,
    also a paragraph linking to ``page``."""
    blocks = []
    for n in numbers:
        blocks += [
            ("image", {"image": image, "caption": f"Caption {n:02}"}),
            ("document", {"document": document, "title": f"Read {n:02}"}),
            ("call_to_action", {"text": f"Go {n:02}", "page": page, "url": ""}),
        ]
        if links:
            link = f'<a linktype="page" id="{page.pk}">the page</a>'
            blocks.append(("paragraph", f"<p>See {link} ({n}).</p>"))
    return blocks


@pytest.mark.xfail(
    strict=True,
    reason="Wagtail expands the links of each rich text block on its own: a paragraph "
    "with a page link costs three queries (the page's type, the page, the active locale)",
)
def test_a_page_costs_the_same_for_many_paragraphs_with_page_links(
    standard_page, clients, image, brochure, news_index, django_assert_max_num_queries
):
    def set_body(numbers):
        standard_page.body = body_blocks(
            numbers, image=image, document=brochure, page=news_index, links=True
        )
        standard_page.save()

    set_body([0])
    assert_flat(
        django_assert_max_num_queries,
        path=standard_page.url,
        clients=clients,
        grow=lambda: set_body(range(20)),
    )


def test_a_standard_page_costs_the_same_for_many_blocks(
    standard_page, clients, image, brochure, news_index, django_assert_max_num_queries
):
    def set_body(numbers):
        standard_page.body = body_blocks(numbers, image=image, document=brochure, page=news_index)
        standard_page.save()

    set_body([0])
    assert_flat(
        django_assert_max_num_queries,
        path=standard_page.url,
        clients=clients,
        grow=lambda: set_body(range(20)),
        shows=[f"Caption {n:02}" for n in range(20)] + [f"Go {n:02}" for n in range(20)],
    )


def test_the_calls_index_costs_the_same_for_fifty_calls(
    home, clients, django_assert_max_num_queries
):
    index = CallIndexPage(title="Calls", slug="calls")
    home.add_child(instance=index)
    add_call(index, 0)

    def grow():
        for n in range(1, 50):
            add_call(index, n, open_=n % 2 == 0)

    assert_flat(
        django_assert_max_num_queries,
        path=index.url,
        clients=clients,
        grow=grow,
        shows=[f"Call number {n:02}" for n in range(50)],
    )


def test_a_call_costs_the_same_for_many_form_fields(home, clients, django_assert_max_num_queries):
    call = add_call(home, 0, fields=1)

    def grow():
        call.form_fields = [
            CallFormField(sort_order=i, label=f"Field {i:02}", field_type="singleline")
            for i in range(20)
        ]
        call.save()

    assert_flat(
        django_assert_max_num_queries,
        path=call.url,
        clients=clients,
        grow=grow,
        shows=[f"Field {i:02}" for i in range(20)],
    )


def test_the_document_library_costs_the_same_for_fifty_documents(
    library, brochure, clients, django_assert_max_num_queries
):
    def grow():
        inner = brochure.collection.add_child(name="Country reports")
        for n in range(49):
            add_document(inner if n % 2 else brochure.collection, n)

    assert_flat(
        django_assert_max_num_queries,
        path=library.url,
        clients=clients,
        grow=grow,
        shows=[f"Document number {n:02}" for n in range(49)],
    )


@pytest.mark.parametrize("model", [PrivacyPolicyPage, TermsPage])
def test_the_policy_pages_cost_a_bounded_number_of_queries(
    model, clients, django_assert_max_num_queries
):
    page = model.objects.get()
    assert_flat(django_assert_max_num_queries, path=page.url, clients=clients, grow=list)


def test_every_page_type_of_the_site_is_counted_here():
    """A new page type needs its own test above."""
    from django.apps import apps

    counted = {
        "HomePage",
        "NewsIndexPage",
        "NewsPage",
        "StandardPage",
        "CallIndexPage",
        "CallPage",
        "DocumentLibraryPage",
        "EventIndexPage",  # tests/events/test_page_query_counts.py
        "EventPage",  # tests/events/test_page_query_counts.py
        "PrivacyPolicyPage",
        "TermsPage",
    }
    page_types = {
        model.__name__
        for model in apps.get_models()
        if issubclass(model, Page) and model is not Page and not model._meta.abstract
    }
    assert page_types == counted


def test_the_news_api_list_costs_the_same_for_fifty_news(
    news_index, clients, image, django_assert_max_num_queries
):
    add_news(news_index, [0], image=image)
    assert_flat(
        django_assert_max_num_queries,
        path="/api/v2/pages/?type=club.NewsPage&limit=50",
        clients=clients,
        grow=lambda: add_news(news_index, range(1, 49), image=image),
        shows=[f"News number {n:02}" for n in range(49)],
    )


@pytest.mark.xfail(
    strict=True,
    reason="Wagtail's API reads each listed page's image and tags on its own when a client "
    "asks for all fields (its tags field bypasses a prefetch): two queries a news item",
)
def test_the_news_api_list_with_all_fields_costs_the_same_for_fifty_news(
    news_index, clients, image, django_assert_max_num_queries
):
    add_news(news_index, [0], image=image)
    assert_flat(
        django_assert_max_num_queries,
        path="/api/v2/pages/?type=club.NewsPage&fields=*&limit=50",
        clients=clients,
        grow=lambda: add_news(news_index, range(1, 49), image=image),
    )
