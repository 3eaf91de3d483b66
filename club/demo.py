"""The club's demo content: its real announcements of 2012-2014, both calls, the
exit-strategies brochure, the successor entities and the consortium behind the ECEI.

Everything is found by a stable key (slug, title, name) before it is made, so running the
loader again changes nothing. Announcements without a date of their own in the club's
list carry the date of the dated announcement below them (the list is newest first, so
that is the earliest they can have been published).
"""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from club.models import (
    CallFormField,
    CallPage,
    ClubSettings,
    DocumentLibraryPage,
    HomePage,
    NewsIndexPage,
    NewsKind,
    NewsPage,
    Partner,
    PartnerRole,
    StandardPage,
    SuccessorEntity,
)

Log = Callable[[str], None]

BROCHURE_TITLE = "Information Brochure on the ECEI Exit Strategies"
BROCHURE_COLLECTION = "ECEI Exit Strategies"
HOME_IMAGE_TITLE = "European Cluster Managers' Club banner"


@dataclass(frozen=True)
class News:
    slug: str
    title: str
    date: datetime.date
    kind: str
    intro: str = ""
    paragraphs: tuple[str, ...] = ()
    tags: tuple[str, ...] = field(default_factory=tuple)


NEWS = [
    News(
        slug="call-training-field-project-tutoring",
        title="Call for Expression of Interest: Training in Field Project Tutoring",
        date=datetime.date(2014, 3, 10),
        kind=NewsKind.CALL,
        intro="Register of Foundation Tutors – March 2014",
        tags=("call", "foundation tutors", "training"),
    ),
    News(
        slug="call-register-of-foundation-instructors-2014",
        title=(
            "Call for Expression of Interest: Training in specific modules and inclusion "
            "in the Register of Foundation Instructors"
        ),
        date=datetime.date(2014, 3, 10),
        kind=NewsKind.CALL,
        intro="European Foundation for Cluster Excellence",
        tags=("call", "foundation instructors", "training"),
    ),
    News(
        slug="ecei-comes-to-a-successful-end",
        title="The European Cluster Excellence Initiative comes to a successful end",
        date=datetime.date(2012, 8, 31),
        kind=NewsKind.ANNOUNCEMENT,
        intro="Outcomes will be of continued support to cluster managers in Europe",
        paragraphs=(
            "The European Cluster Excellence Initiative comes to a successful end. Its "
            "outcomes will be of continued support to cluster managers in Europe managed "
            "and maintained by the European Secretariat for Cluster Analysis (ESCA), the "
            "Foundation Clusters and Competitiveness and the European Cluster Group e.V. "
            "(ECG).",
        ),
        tags=("ecei", "exit strategies"),
    ),
    News(
        slug="call-register-of-foundation-instructors-2012",
        title=(
            "Call for Expression of Interest for inclusion in the register of "
            "Foundation Instructors"
        ),
        date=datetime.date(2012, 7, 3),
        kind=NewsKind.CALL,
        intro="Deadline: 17:00 (CET) Friday 24 August 2012",
        tags=("call", "foundation instructors"),
    ),
    News(
        slug="paper-quality-label-for-cluster-organisations",
        title=(
            "European Cluster Excellence Initiative (ECEI) publishes paper about "
            "“The quality label for cluster organisations”"
        ),
        date=datetime.date(2012, 7, 3),
        kind=NewsKind.ANNOUNCEMENT,
        tags=("quality label", "ecei"),
    ),
    News(
        slug="cluster-management-excellence-label-gold",
        title="Find out everything about the European Cluster Management Excellence Label GOLD",
        date=datetime.date(2012, 7, 3),
        kind=NewsKind.ANNOUNCEMENT,
        tags=("quality label", "gold label"),
    ),
    News(
        slug="baden-wuerttemberg-cluster-excellence-quality-label",
        title="Baden-Württemberg launches Cluster Excellence Quality Label",
        date=datetime.date(2012, 7, 3),
        kind=NewsKind.ANNOUNCEMENT,
        intro="First region in Europe to apply the ECEI criteria and assessment process",
        tags=("quality label", "baden-württemberg"),
    ),
    News(
        slug="stress-test-of-innovation-policy",
        title="Join the STRESS TEST of innovation policy of the EU member states",
        date=datetime.date(2012, 4, 26),
        kind=NewsKind.ANNOUNCEMENT,
        tags=("innovation policy",),
    ),
    News(
        slug="europe-innova-2012-conference-copenhagen",
        title="Register for the Europe INNOVA 2012 Conference in Copenhagen 23-24 October",
        date=datetime.date(2012, 4, 26),
        kind=NewsKind.ANNOUNCEMENT,
        intro="The Europe INNOVA 2012 Conference takes place in Copenhagen on 23-24 October 2012.",
        tags=("europe innova", "conference", "copenhagen"),
    ),
    News(
        slug="capacity-development-for-cluster-managers",
        title="Capacity Development for Cluster Managers Project (CDCM PROJECT)",
        date=datetime.date(2012, 4, 26),
        kind=NewsKind.TRAINING,
        intro=(
            "The overall objective of Capacity Development for Cluster Managers Project "
            "(CDCM) is to contribute to the improvement of cluster management in Europe by "
            "promoting and developing world-class clusters in Europe."
        ),
        tags=("cdcm", "training"),
    ),
    News(
        slug="seeneco-cluster-benchmarking-training-bucharest",
        title="SEE Policy Experts pursue Cluster Benchmarking Training in Bucharest",
        date=datetime.date(2012, 4, 26),
        kind=NewsKind.TRAINING,
        intro="SEENECO kicks-off the series of Cluster Excellence trainings",
        tags=("seeneco", "benchmarking", "training", "bucharest"),
    ),
    News(
        slug="micael-gustafsson-cluster-manager-of-the-year-2012",
        title="Micael Gustafsson is “European Cluster Manager of the Year 2012”",
        date=datetime.date(2012, 4, 19),
        kind=NewsKind.AWARD,
        intro=(
            "The Award honors cluster managers in Europe for outstanding success stories "
            "and was open to every cluster manager in Europe to apply."
        ),
        tags=("award", "cluster manager of the year"),
    ),
]


@dataclass(frozen=True)
class Call:
    slug: str
    title: str
    opening_text: str
    eligibility: str
    deadline_date: datetime.date
    deadline_time: datetime.time = datetime.time(17, 0)


CALLS = [
    # The announcement names only the month ("March 2014"): the end of that month stands
    # in for its deadline.
    Call(
        slug="register-of-foundation-tutors",
        title="Register of Foundation Tutors – March 2014",
        opening_text=(
            "<p>Call for Expression of Interest: Training in Field Project Tutoring and "
            "inclusion in the Register of Foundation Tutors.</p>"
        ),
        eligibility=(
            "<p>Cluster management experts who want to tutor field projects based on the "
            "ECEI curriculum.</p>"
        ),
        deadline_date=datetime.date(2014, 3, 31),
    ),
    Call(
        slug="register-of-foundation-instructors",
        title="Register of Foundation Instructors",
        opening_text=(
            "<p>Call for Expression of Interest for inclusion in the register of "
            "Foundation Instructors.</p>"
        ),
        eligibility=(
            "<p>Trainers who want to teach the ECEI modules of cluster management excellence.</p>"
        ),
        deadline_date=datetime.date(2012, 8, 24),
    ),
]

CALL_FORM_FIELDS = [
    ("Full name", "singleline", True, ""),
    ("E-mail", "email", True, ""),
    ("Organisation", "singleline", True, ""),
    ("Country", "singleline", True, ""),
    ("Experience in cluster management", "multiline", True, "Years, roles and clusters."),
    ("I agree that the club stores my application", "checkbox", True, ""),
]

SUCCESSORS = [
    (
        "European Secretariat for Cluster Analysis",
        "ESCA",
        "The one-stop-shop for labelling of cluster organisations.",
        "https://www.cluster-analysis.org/",
    ),
    (
        "Foundation Clusters and Competitiveness",
        "",
        "Offers Courses for Trainers of Cluster Management Excellence based on the ECEI "
        "curriculum and administrates the ECEI training materials.",
        "",
    ),
    (
        "European Cluster Group e.V.",
        "ECG",
        "The sustainable structure for the future of the European Cluster Managers’ Club "
        "and the European Cluster Collaboration Platform with strong cooperation links to "
        "the TCI Network.",
        "",
    ),
]

FUNDERS = [("European Commission", "ProInno / CIP")]

CONSORTIUM = [
    "IESE Business School",
    "Clusterland Oberösterreich",
    "MFG Baden-Württemberg",
    "CDIF - France Clusters",
    "University of Southern Denmark",
    "RegX – The Danish Cluster Academy",
    "Baltic Innovation Agency",
    "Croation Employers' Association",
    "Generalitat de Catalunya",
    "Confederation of Hungarian Employers and Industrialists",
    "Innovation Norway",
]

HOME_INTRO = (
    "<p>The European Cluster Managers’ Club carries on the European Cluster Excellence "
    "Initiative (ECEI) – your way to cluster excellence.</p>"
)

ECEI_PARAGRAPHS = [
    "The European Cluster Excellence Initiative comes to a successful end. Its outcomes "
    "will be of continued support to cluster managers in Europe managed and maintained by "
    "the following entities:",
    "<ul><li>European Secretariat for Cluster Analysis (ESCA): the one-stop-shop for "
    "labelling of cluster organisations;</li><li>Foundation Clusters and Competitiveness: "
    "offers Courses for Trainers of Cluster Management Excellence based on the ECEI "
    "curriculum and administrates the ECEI training materials;</li><li>European Cluster "
    "Group e.V. (ECG): the sustainable structure for the future of the European Cluster "
    "Managers’ Club and the European Cluster Collaboration Platform with strong cooperation "
    "links to the TCI Network.</li></ul>",
]


# --- Building blocks ---------------------------------------------------------------------


def paragraph(html: str) -> tuple[str, str]:
    if not html.startswith("<"):
        html = f"<p>{html}</p>"
    return ("paragraph", html)


def child_page(parent: Page, slug: str):
    page = parent.get_children().filter(slug=slug).first()
    return page.specific if page else None


def ensure_child(parent: Page, page: Page, counts: dict) -> Page:
    """The child of ``parent`` with ``page``'s slug: the existing one, or ``page`` published."""
    existing = child_page(parent, page.slug)
    if existing is not None:
        return existing
    parent.add_child(instance=page)
    page.save_revision().publish(log_action=False)
    counts["created"] += 1
    return page


def build_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF (Helvetica, WinAnsi) with a title and lines of text."""

    def escape(text: str) -> bytes:
        raw = text.encode("cp1252", errors="replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    content = b"BT /F1 18 Tf 56 780 Td (" + escape(title) + b") Tj ET\n"
    y = 748
    for line in lines:
        content += b"BT /F1 11 Tf 56 %d Td (" % y + escape(line) + b") Tj ET\n"
        y -= 16
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title (" + escape(title) + b") /Producer (Cluster Club) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, len(objects), xref)
    )
    return out.getvalue()


def build_banner_png() -> bytes:
    """A plain banner image in the club's colours, so images and renditions have content."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 400), (11, 79, 156))
    draw = ImageDraw.Draw(image)
    for i in range(0, 1200, 60):
        draw.ellipse((i, 150 + (i % 180), i + 40, 190 + (i % 180)), fill=(255, 204, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --- The steps ---------------------------------------------------------------------------


def seed_home(*, banner, brochure, log: Log) -> HomePage:
    """The English HomePage as the root of the default site, replacing Wagtail's welcome page."""
    root = Page.get_first_root_node()
    english = Locale.get_default()
    home = HomePage.objects.filter(depth=2, locale=english).order_by("pk").first()
    site = Site.objects.filter(is_default_site=True).first()
    if home is None:
        welcome = (
            root.get_children()
            .filter(slug="home", content_type__model="page", content_type__app_label="wagtailcore")
            .first()
        )
        welcome_is_default = welcome is not None and welcome.numchild == 0
        home = HomePage(
            title="European Cluster Managers' Club",
            slug="club-home" if welcome is not None else "home",
            locale=english,
            intro=HOME_INTRO,
            image=banner,
            body=[
                ("heading", "Your way to Cluster Excellence"),
                *map(paragraph, ECEI_PARAGRAPHS),
                ("document", {"document": brochure, "title": ""}),
            ],
        )
        root.add_child(instance=home)
        home.save_revision().publish(log_action=False)
        if site is None:
            site = Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True
            )
        site.root_page = home
        site.site_name = "Cluster Club"
        site.save()
        if welcome_is_default:
            welcome.delete()
            home.slug = "home"
            home.save_revision().publish(log_action=False)
            # publish() saves a copy made from the revision: reload the new url_path so
            # children get paths under it.
            home.refresh_from_db()
        log("home page created")
    elif site is None or site.root_page_id != home.pk:
        site = site or Site(hostname="localhost", port=80, is_default_site=True)
        site.root_page = home
        site.save()
    return home


def seed_brochure(log: Log):
    root_collection = Collection.get_first_root_node()
    collection = root_collection.get_children().filter(name=BROCHURE_COLLECTION).first()
    if collection is None:
        collection = root_collection.add_child(name=BROCHURE_COLLECTION)
    Document = get_document_model()
    document = Document.objects.filter(title=BROCHURE_TITLE, collection=collection).first()
    if document is None:
        pdf = build_pdf(
            BROCHURE_TITLE,
            [
                "European Cluster Excellence Initiative (ECEI) - Your way to Cluster Excellence",
                "",
                "The outcomes of the ECEI are carried on by:",
                "- European Secretariat for Cluster Analysis (ESCA): labelling of cluster",
                "  organisations;",
                "- Foundation Clusters and Competitiveness: courses for trainers of cluster",
                "  management excellence and the ECEI training materials;",
                "- European Cluster Group e.V. (ECG): the European Cluster Managers' Club and",
                "  the European Cluster Collaboration Platform.",
            ],
        )
        document = Document(title=BROCHURE_TITLE, collection=collection)
        document.file.save("ecei-exit-strategies-brochure.pdf", ContentFile(pdf), save=False)
        document.save()
        log("brochure created")
    return collection, document


def seed_banner(log: Log):
    Image = get_image_model()
    image = Image.objects.filter(title=HOME_IMAGE_TITLE).first()
    if image is None:
        image = Image(title=HOME_IMAGE_TITLE)
        image.file.save("club-banner.png", ContentFile(build_banner_png()), save=False)
        image.width, image.height = 1200, 400
        image.save()
        log("banner image created")
    return image


def seed_pages(home: HomePage, *, collection, brochure, log: Log) -> dict:
    counts = {"created": 0}
    ensure_child(
        home,
        StandardPage(
            title="About the club",
            slug="about",
            intro=HOME_INTRO,
            body=[
                ("heading", "European Cluster Excellence Initiative (ECEI)"),
                *map(paragraph, ECEI_PARAGRAPHS),
                ("document", {"document": brochure, "title": ""}),
            ],
        ),
        counts,
    )
    library = ensure_child(
        home,
        DocumentLibraryPage(
            title="ECEI Exit Strategies",
            slug="exit-strategies",
            intro="<p>Download the Information Brochure on the ECEI Exit Strategies.</p>",
        ),
        counts,
    )
    if not library.collections.filter(pk=collection.pk).exists():
        library.collections.add(collection)
        library.save_revision().publish(log_action=False)

    news_index = ensure_child(
        home,
        NewsIndexPage(title="News", slug="news", intro="<p>News of the club and the ECEI.</p>"),
        counts,
    )
    from tqdm import tqdm

    for item in tqdm(NEWS, desc="news", unit="page", leave=False, disable=None):
        if child_page(news_index, item.slug) is not None:
            continue
        page = NewsPage(
            title=item.title,
            slug=item.slug,
            date=item.date,
            kind=item.kind,
            intro=item.intro,
            body=[paragraph(text) for text in item.paragraphs],
        )
        news_index.add_child(instance=page)
        page.tags.add(*item.tags)
        page.save_revision().publish(log_action=False)
        counts["created"] += 1

    calls_index = ensure_child(
        home,
        StandardPage(
            title="Calls for expression of interest",
            slug="calls",
            intro="<p>The club's calls for trainers, tutors and instructors.</p>",
        ),
        counts,
    )
    for call in CALLS:
        if child_page(calls_index, call.slug) is not None:
            continue
        page = CallPage(
            title=call.title,
            slug=call.slug,
            opening_text=call.opening_text,
            eligibility=call.eligibility,
            deadline_date=call.deadline_date,
            deadline_time=call.deadline_time,
            deadline_timezone="Europe/Brussels",
            thank_you_text="<p>Thank you: the club has received your application.</p>",
        )
        page.form_fields = [
            CallFormField(
                sort_order=order,
                label=label,
                field_type=field_type,
                required=required,
                help_text=help_text,
            )
            for order, (label, field_type, required, help_text) in enumerate(CALL_FORM_FIELDS)
        ]
        calls_index.add_child(instance=page)
        page.save_revision().publish(log_action=False)
        counts["created"] += 1
    log(f"pages: {counts['created']} created, {home.get_descendants().count()} under home")
    return counts


def seed_snippets(log: Log) -> None:
    created = 0
    for order, (name, acronym, role, url) in enumerate(SUCCESSORS):
        _, new = SuccessorEntity.objects.get_or_create(
            name=name, defaults={"acronym": acronym, "role": role, "url": url, "sort_order": order}
        )
        created += new
    for order, (name, programme) in enumerate(FUNDERS):
        _, new = Partner.objects.get_or_create(
            name=name,
            role=PartnerRole.FUNDER,
            defaults={"programme": programme, "sort_order": order},
        )
        created += new
    for order, name in enumerate(CONSORTIUM):
        _, new = Partner.objects.get_or_create(
            name=name, role=PartnerRole.CONSORTIUM, defaults={"sort_order": order}
        )
        created += new
    log(f"snippets: {created} created")


def seed_settings(home: HomePage) -> None:
    site = Site.objects.filter(root_page=home).first()
    if site is None:
        return
    settings = ClubSettings.for_site(site)
    if not settings.contact_email:
        settings.contact_email = "info@clusterclub.eu"
        settings.save()


def seed_translations(home: HomePage, log: Log) -> None:
    """Alias the English tree into the other locales, as the admin does for new pages.

    With WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE on, every page an editor creates gets
    aliases in the other locales; the demo tree follows the same rule so /de/, /fr/ and
    /es/ answer and editors can translate from there.
    """
    club_types = (HomePage, StandardPage, NewsIndexPage, NewsPage, CallPage, DocumentLibraryPage)
    pages = [home, *[p.specific for p in home.get_descendants().order_by("path")]]
    created = 0
    for locale in Locale.objects.exclude(pk=home.locale_id):
        for page in pages:
            if not isinstance(page, club_types) or page.has_translation(locale):
                continue
            parent = page.get_parent()
            if page.pk != home.pk and not parent.has_translation(locale):
                continue
            page.copy_for_translation(locale, copy_parents=False, alias=True)
            created += 1
    log(f"translations: {created} aliases created")


def seed_club(*, log: Log) -> HomePage:
    """Load the club's own content; returns the English home page."""
    with transaction.atomic():
        collection, brochure = seed_brochure(log)
        banner = seed_banner(log)
        home = seed_home(banner=banner, brochure=brochure, log=log)
        seed_pages(home, collection=collection, brochure=brochure, log=log)
        seed_snippets(log)
        seed_settings(home)
        seed_translations(home, log)
    return home
