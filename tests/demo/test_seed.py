"""manage.py seed_demo builds the club's site from its real announcements, idempotently."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from pages.models import CallFormField, CallPage, HomePage, NewsPage, Partner, SuccessorEntity

pytestmark = pytest.mark.django_db


def counts():
    return {
        "pages": Page.objects.count(),
        "documents": get_document_model().objects.count(),
        "images": get_image_model().objects.count(),
        "collections": Collection.objects.count(),
        "successors": SuccessorEntity.objects.count(),
        "partners": Partner.objects.count(),
        "form fields": CallFormField.objects.count(),
        "tags": Tag.objects.count(),
        "sites": Site.objects.count(),
    }


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seeding_twice_gives_the_same_counts_and_reports_progress(client):
    first_output = seed()
    first = counts()
    second_output = seed()
    assert counts() == first
    assert "pages: 21 created" in first_output
    assert "pages: 0 created" in second_output
    assert "Demo content loaded." in second_output

    # The content itself: the club's announcements and calls, the brochure, the footer.
    home = HomePage.objects.get(depth=2, locale__language_code="en")
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    english_news = NewsPage.objects.filter(locale__language_code="en")
    assert english_news.count() == 12
    dates = set(english_news.values_list("date", flat=True))
    assert {
        datetime.date(2014, 3, 10),
        datetime.date(2012, 8, 31),
        datetime.date(2012, 7, 3),
        datetime.date(2012, 4, 26),
        datetime.date(2012, 4, 19),
    } == dates
    award = english_news.get(kind="award")
    assert "Micael Gustafsson" in award.title
    instructors = CallPage.objects.get(
        locale__language_code="en", slug="register-of-foundation-instructors"
    )
    with translation.override("en"):
        assert instructors.deadline_display == "17:00 CEST, Friday 24 August 2012"
    assert CallPage.objects.filter(locale__language_code="en").count() == 3
    # An open call for tutors: accepted applications enter the register of tutors.
    tutors_call = CallPage.objects.get(
        locale__language_code="en", slug="register-of-foundation-tutors-open"
    )
    assert tutors_call.target_register == "tutors" and tutors_call.is_open
    # A register entry expiring soon (reminded) and an expired one (shown as expired).
    from members.models import RegisterEntry

    statuses = {e.member.user.username: e.expiry_status() for e in RegisterEntry.objects.all()}
    assert statuses["demo-katrin"] == "expiring"
    assert statuses["demo-marta"] == "expired"
    brochure = get_document_model().objects.get(
        title="Information Brochure on the ECEI Exit Strategies"
    )
    with brochure.file.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF-1.")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert b"startxref" in pdf
    assert SuccessorEntity.objects.count() == 3
    assert Partner.objects.filter(role="consortium").count() == 11
    assert Partner.objects.get(role="funder").name == "European Commission"

    assert "Micael Gustafsson" in client.get("/news/?kind=award").content.decode()
    assert "Baden-Württemberg launches" in client.get("/news/").content.decode()
    assert client.get("/exit-strategies/").status_code == 200
    # The course's speakers: one of the demo members (linked), one from outside.
    from events.models import EventSpeaker

    speakers = EventSpeaker.objects.filter(
        page__slug="course-for-trainers-cluster-management-excellence",
        page__locale__language_code="en",
    ).order_by("sort_order")
    assert [(s.name, s.member is not None, s.photo is not None) for s in speakers] == [
        ("Elena Vidal", False, True),
        ("Anna Berger", True, False),
    ]
    assert client.get("/de/news/").status_code == 200


def test_seeded_pdf_parses_with_a_cross_reference_table_that_points_at_its_objects():
    from demo.files import build_pdf

    pdf = build_pdf("Brochure (ECEI)", ["Baden-Württemberg", "back\\slash"])
    startxref = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf[startxref:].startswith(b"xref")
    entries = pdf[startxref:].split(b"\n")[3:9]
    for number, entry in enumerate(entries, start=1):
        offset = int(entry.split()[0])
        assert pdf[offset:].startswith(b"%d 0 obj" % number)
    assert b"Baden-W\xfcrttemberg" in pdf
    assert b"Brochure \\(ECEI\\)" in pdf


def test_the_demo_has_real_translations_of_a_few_pages_and_keeps_them_on_a_second_run(client):
    first = seed()
    assert "translations: 12 pages translated" in first

    german = client.get("/de/").content.decode()
    assert "Europäischer Clustermanager-Club" in german
    assert "Ihr Weg zur Cluster-Exzellenz" in german
    french = client.get("/fr/news/ecei-comes-to-a-successful-end/").content.decode()
    assert "L’European Cluster Excellence Initiative s’achève avec succès" in french
    spanish = client.get("/es/calls/register-of-foundation-tutors/")
    assert spanish.status_code == 200
    assert "Registro de Foundation Tutors" in spanish.content.decode()
    # The English pages are untouched.
    assert "European Cluster Managers" in client.get("/").content.decode()

    assert "translations: 0 pages translated" in seed()
