"""A small editorial site: a HomePage as the default site's root and one page of each type."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from pages.models import (
    CallFormField,
    CallPage,
    DocumentLibraryPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)


@pytest.fixture(autouse=True)
def _english():
    """Requests to /de/ activate German in the test's thread: start every test in English."""
    with translation.override("en"):
        yield


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def image(db):
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 1000), (11, 79, 156)).save(buffer, format="PNG")
    return get_image_model().objects.create(
        title="Copenhagen harbour", file=ImageFile(buffer, name="harbour.png")
    )


@pytest.fixture
def home(db, image):
    root = Page.get_first_root_node()
    home = HomePage(
        title="Club home", slug="club-home", intro="<p>Cluster excellence.</p>", image=image
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home


@pytest.fixture
def news_index(home):
    return publish(home, NewsIndexPage(title="News", slug="news", intro="<p>All the news.</p>"))


@pytest.fixture
def news_page(news_index, image):
    page = NewsPage(
        title="Micael Gustafsson is European Cluster Manager of the Year 2012",
        slug="cluster-manager-of-the-year",
        date=datetime.date(2012, 4, 19),
        kind="award",
        intro="The Award honors cluster managers in Europe.",
        image=image,
        body=[("paragraph", "<p>Open to every cluster manager in Europe.</p>")],
    )
    news_index.add_child(instance=page)
    page.tags.add("award", "cluster manager")
    page.save_revision().publish()
    return page


@pytest.fixture
def standard_page(home):
    return publish(
        home,
        StandardPage(
            title="About the club",
            slug="about",
            intro="<p>The structure that carries on the ECEI.</p>",
            body=[("heading", "Successor entities"), ("paragraph", "<p>ESCA and ECG.</p>")],
        ),
    )


def make_call(parent, *, slug, deadline_date, deadline_time=datetime.time(17, 0)):
    page = CallPage(
        title=f"Register {slug}",
        slug=slug,
        opening_text="<p>Call for Expression of Interest.</p>",
        eligibility="<p>Cluster management trainers.</p>",
        deadline_date=deadline_date,
        deadline_time=deadline_time,
        deadline_timezone="Europe/Brussels",
        thank_you_text="<p>Application received.</p>",
    )
    page.form_fields = [
        CallFormField(sort_order=0, label="Full name", field_type="singleline", required=True),
        CallFormField(sort_order=1, label="E-mail", field_type="email", required=True),
    ]
    return publish(parent, page)


@pytest.fixture
def open_call(home):
    return make_call(home, slug="tutors", deadline_date=datetime.date(2100, 1, 1))


@pytest.fixture
def closed_call(home):
    return make_call(home, slug="instructors", deadline_date=datetime.date(2012, 8, 24))


@pytest.fixture
def brochure(db):
    collection = Collection.get_first_root_node().add_child(name="ECEI Exit Strategies")
    document = get_document_model()(
        title="Information Brochure on the ECEI Exit Strategies", collection=collection
    )
    document.file.save("brochure.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    return document


@pytest.fixture
def library(home, brochure):
    page = DocumentLibraryPage(title="Exit strategies", slug="exit-strategies")
    home.add_child(instance=page)
    page.collections.add(brochure.collection)
    page.save_revision().publish()
    return page
