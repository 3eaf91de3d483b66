"""The one loader of the demo content: reads the YAML files of ``data/`` (or of the folder
it is given) and makes the pages, organisations, members, events and threads they describe.

The files hold the content; this module holds only the mechanism: how a page, an
organisation or a thread is made, and how each is found again, by a stable key (slug,
title, name, username), before it is made, so that loading twice changes nothing.
``data/README.md`` describes the files' notation for editors.

Sections load in a fixed order (the club's pages, members, events, forum); each can be
loaded alone, as the apps' tests do.
"""

import datetime
import re
import secrets
import string
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from awards import services as award_services
from awards.models import (
    Application,
    AwardCategory,
    AwardCycle,
    AwardPhase,
    ConflictOfInterest,
    Criterion,
    Juror,
    Laureate,
)
from demo.files import (
    BANNER_SIZE,
    PORTRAIT_SIZE,
    build_banner_png,
    build_pdf,
    build_portrait_png,
)
from events.models import (
    EventIndexPage,
    EventPage,
    EventSession,
    EventSpeaker,
    Registration,
    RegistrationQuestion,
    TicketQuestion,
    TicketType,
)
from forum.models import Category, Post, Thread
from forum.rendering import render_markdown
from matchmaking import services as matchmaking_services
from matchmaking.models import Matchmaking, Meeting, MeetingBlock, MeetingSeat, Participant, Table
from members import services as member_services
from members.models import (
    Activity,
    CoAdminInvitation,
    Follow,
    MemberProfile,
    Membership,
    Organisation,
    OrganisationRequest,
    QualityLabel,
    RegisterEntry,
    Sector,
)
from pages.models import (
    CallFormField,
    CallIndexPage,
    CallPage,
    ClubSettings,
    DocumentLibraryPage,
    HomePage,
    MenuItem,
    NavigationSettings,
    NewsIndexPage,
    NewsPage,
    Partner,
    PartnerRole,
    StandardPage,
    SuccessorEntity,
)
from privacy.models import PrivacyPolicyPage, TermsPage
from translating import column, language_codes

Log = Callable[[str], None]

DATA_DIR = Path(__file__).resolve().parent / "data"


class DemoDataError(ValueError):
    """A data file the loader cannot use; the message names the file and the entry."""


# --- Reading the files -------------------------------------------------------------------


class _PlainYamlLoader(yaml.SafeLoader):
    """YAML where a value is text unless it is plainly something else.

    YAML 1.1 reads ``NO`` (Norway) and ``on`` as booleans, ``17:00`` as the number 1020
    and ``2012-10-23`` as a date: editors would have to know when to quote. Here only
    ``true``/``false``, ``null``/``~`` and plain integers (no leading zero) are not text;
    dates and times are read by the loader, which also understands dates counted from today.
    """


_PlainYamlLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag
        not in {
            "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
            "tag:yaml.org,2002:timestamp",
        }
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PlainYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_PlainYamlLoader.add_implicit_resolver(
    # No leading zeros: YAML 1.1 would read 0123 as octal.
    "tag:yaml.org,2002:int",
    re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"),
    list("-+0123456789"),
)


def read_data(data_dir: Path, name: str) -> dict:
    """The mapping in ``data_dir/name``."""
    path = Path(data_dir) / name
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_PlainYamlLoader)  # noqa: S506 (a safe loader)
    except OSError as error:
        raise DemoDataError(f"{path}: cannot be read ({error.strerror})") from error
    except yaml.YAMLError as error:
        raise DemoDataError(f"{path}: not valid YAML ({error})") from error
    if not isinstance(data, dict):
        raise DemoDataError(f"{path}: should hold named sections (`name: ...`), not a list")
    return data


@contextmanager
def entry(where: str) -> Iterator[None]:
    """Name the file and entry in any error about the data read inside."""
    try:
        yield
    except DemoDataError as error:
        raise DemoDataError(f"{where}: {error}") from None
    except KeyError as error:
        raise DemoDataError(f"{where}: needs {error.args[0]!r}") from None


# --- Dates: absolute, or counted from the day of loading ---------------------------------

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def parse_when(value: Any, *, today: datetime.date | None = None) -> datetime.datetime:
    """A naive date and time from the data's notation, its steps applied left to right.

    ``2012-10-23`` sets the day, ``+42d``/``-200d`` adds days (to today when no day was
    set), a weekday name moves on to that weekday (or stays, on that weekday), ``09:00``
    sets the time of day (midnight when none is given).
    """
    day = today or timezone.localdate()
    time = datetime.time(0, 0)
    for token in str(value).split():
        lowered = token.lower()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", token):
            try:
                day = datetime.date.fromisoformat(token)
            except ValueError:
                raise DemoDataError(f"{token!r} is not a date") from None
        elif re.fullmatch(r"[+-]\d+d", lowered):
            day += datetime.timedelta(days=int(lowered[:-1]))
        elif lowered in WEEKDAYS:
            day += datetime.timedelta(days=(WEEKDAYS.index(lowered) - day.weekday()) % 7)
        elif re.fullmatch(r"\d{1,2}:\d{2}", token):
            hour, minute = map(int, token.split(":"))
            try:
                time = datetime.time(hour, minute)
            except ValueError:
                raise DemoDataError(f"{token!r} is not a time of day") from None
        elif lowered != "today":
            raise DemoDataError(
                f"{token!r} in {value!r} is not a date (2012-10-23), a time (09:00), "
                "a number of days (+42d, -200d) or a weekday"
            )
    return datetime.datetime.combine(day, time)


# --- From an entry to a model's fields ---------------------------------------------------


def fill_translations(instance, field: str, names: dict) -> None:
    """Give ``instance``'s ``field`` the names of ``names`` (``{"de": ...}``) in the
    languages where it has none yet: a second seed leaves what editors wrote alone."""
    unknown = set(names) - set(language_codes())
    if unknown:
        raise DemoDataError(f"unknown language(s) {sorted(unknown)}; use {language_codes()}")
    changed = []
    for code, name in names.items():
        if name and not getattr(instance, column(field, code)):
            setattr(instance, column(field, code), name)
            changed.append(column(field, code))
    if changed:
        instance.save(update_fields=changed)


def model_fields(model: type[models.Model], spec: dict, *, tz=None) -> dict:
    """``spec``'s values as ``model``'s fields: dates and times parsed, choices checked.

    Date-times are on the clock of ``tz`` (the current time zone when none is given).
    """
    values = {}
    for name, value in spec.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            raise DemoDataError(f"{model.__name__} has no field {name!r}") from None
        if value is not None:
            if isinstance(field, models.DateTimeField):
                value = timezone.make_aware(parse_when(value), tz)
            elif isinstance(field, models.DateField):
                value = parse_when(value).date()
            elif isinstance(field, models.TimeField):
                value = parse_when(value).time()
            if field.choices and value not in {choice for choice, _ in field.flatchoices}:
                allowed = ", ".join(str(choice) for choice, _ in field.flatchoices[:8])
                raise DemoDataError(f"{name} {value!r} is not one of: {allowed}...")
        values[name] = value
    return values


def without(spec: dict, *keys: str) -> dict:
    return {key: value for key, value in spec.items() if key not in keys}


def fill_defaults(spec: dict, defaults: dict, values: dict) -> dict:
    """``spec`` with each default it lacks, its ``{fields}`` filled from ``values``."""
    filled = dict(spec)
    for key, template in (defaults or {}).items():
        if key not in filled:
            try:
                filled[key] = string.Formatter().vformat(str(template), (), values)
            except (KeyError, ValueError, IndexError) as error:
                raise DemoDataError(
                    f"default {key!r}: cannot fill {template!r} ({error})"
                ) from None
    return filled


def lookup(things: dict, key: str, kind: str):
    try:
        return things[key]
    except KeyError:
        raise DemoDataError(f"no {kind} {key!r}") from None


# --- The club: documents, images, pages, footer, translations ----------------------------

PAGE_TYPES = {
    "standard": StandardPage,
    "library": DocumentLibraryPage,
    "news-index": NewsIndexPage,
    "news": NewsPage,
    "call": CallPage,
    "call-index": CallIndexPage,
    "terms": TermsPage,
    "privacy-policy": PrivacyPolicyPage,
}
# Keys of a page entry that are not fields of the page itself.
PAGE_EXTRAS = ("type", "children", "body", "image", "tags", "form_fields", "collections")


def seed_documents(documents: dict, log: Log) -> dict:
    """Each document (a generated PDF of its lines) in its collection, by key."""
    made = {}
    Document = get_document_model()
    root_collection = Collection.get_first_root_node()
    for key, spec in (documents or {}).items():
        with entry(f"pages.yaml: documents: {key}"):
            collection = root_collection.get_children().filter(name=spec["collection"]).first()
            if collection is None:
                collection = root_collection.add_child(name=spec["collection"])
            title = spec["title"]
            document = Document.objects.filter(title=title, collection=collection).first()
            if document is None:
                document = Document(title=title, collection=collection)
                pdf = build_pdf(title, [str(line) for line in spec.get("lines", [])])
                document.file.save(spec["file"], ContentFile(pdf), save=False)
                document.save()
                log(f"{key} created")
            made[key] = document
    return made


def seed_images(images: dict, log: Log) -> dict:
    """Each image (a generated banner in the club's colours), by key."""
    made = {}
    Image = get_image_model()
    for key, spec in (images or {}).items():
        with entry(f"pages.yaml: images: {key}"):
            image = Image.objects.filter(title=spec["title"]).first()
            if image is None:
                image = Image(title=spec["title"])
                image.file.save(spec["file"], ContentFile(build_banner_png()), save=False)
                image.width, image.height = BANNER_SIZE
                image.save()
                log(f"{key} image created")
            made[key] = image
    return made


def stream(blocks: list, *, documents: dict) -> list:
    """A body's blocks: ``heading``, ``paragraph`` (text or HTML) and ``document`` (a key)."""
    body = []
    for block in blocks or []:
        if not isinstance(block, dict) or len(block) != 1:
            raise DemoDataError(f"a body block is one `kind: value`, not {block!r}")
        [(kind, value)] = block.items()
        if kind == "heading":
            body.append(("heading", str(value)))
        elif kind == "paragraph":
            html = str(value)
            body.append(("paragraph", html if html.startswith("<") else f"<p>{html}</p>"))
        elif kind == "document":
            document = lookup(documents, value, "document")
            body.append(("document", {"document": document, "title": ""}))
        else:
            raise DemoDataError(f"unknown body block {kind!r} (heading, paragraph, document)")
    return body


def child_page(parent: Page, slug: str):
    page = parent.get_children().filter(slug=slug).first()
    return page.specific if page else None


def build_page(spec: dict, *, documents: dict) -> Page:
    model = lookup(PAGE_TYPES, spec["type"], "page type")
    page = model(**model_fields(model, without(spec, *PAGE_EXTRAS)))
    if "body" in spec:
        page.body = stream(spec["body"], documents=documents)
    if "form_fields" in spec:
        page.form_fields = [
            CallFormField(sort_order=order, **model_fields(CallFormField, field))
            for order, field in enumerate(spec["form_fields"])
        ]
    return page


def ensure_page(parent: Page, spec: dict, *, documents: dict, counts: dict) -> Page:
    """The child of ``parent`` with the entry's slug: the existing one, or the entry
    published; then its children, in order."""
    from tqdm import tqdm

    with entry(f"pages.yaml: page {spec.get('slug')!r}"):
        page = child_page(parent, spec["slug"])
        if page is None:
            page = build_page(spec, documents=documents)
            parent.add_child(instance=page)
            if spec.get("tags"):
                page.tags.add(*spec["tags"])
            page.save_revision().publish(log_action=False)
            counts["created"] += 1
        if spec.get("collections"):
            root_collection = Collection.get_first_root_node()
            for name in spec["collections"]:
                collection = root_collection.get_children().filter(name=name).first()
                if collection is None:
                    raise DemoDataError(f"no collection {name!r} (one of the documents')")
                if not page.collections.filter(pk=collection.pk).exists():
                    page.collections.add(collection)
                    page.save_revision().publish(log_action=False)
    children = spec.get("children") or []
    for child in tqdm(children, desc=page.slug, unit="page", leave=False, disable=None):
        ensure_page(page, child, documents=documents, counts=counts)
    return page


def seed_home(spec: dict, site_spec: dict, *, documents: dict, images: dict, log: Log):
    """The English HomePage as the root of the default site, replacing Wagtail's welcome page."""
    root = Page.get_first_root_node()
    english = Locale.get_default()
    home = HomePage.objects.filter(depth=2, locale=english).order_by("pk").first()
    site = Site.objects.filter(is_default_site=True).first()
    hostname = site_spec.get("hostname", "localhost")
    if home is None:
        welcome = (
            root.get_children()
            .filter(slug="home", content_type__model="page", content_type__app_label="wagtailcore")
            .first()
        )
        welcome_is_default = welcome is not None and welcome.numchild == 0
        with entry("pages.yaml: home"):
            home = HomePage(
                title=spec["title"],
                slug="club-home" if welcome is not None else "home",
                locale=english,
                intro=spec.get("intro", ""),
                image=lookup(images, spec["image"], "image") if spec.get("image") else None,
                body=stream(spec.get("body"), documents=documents),
            )
        root.add_child(instance=home)
        home.save_revision().publish(log_action=False)
        if site is None:
            site = Site.objects.create(
                hostname=hostname, port=80, root_page=home, is_default_site=True
            )
        site.root_page = home
        site.site_name = site_spec.get("name", "")
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
        site = site or Site(hostname=hostname, port=80, is_default_site=True)
        site.root_page = home
        site.save()
    return home


def seed_footer(data: dict, log: Log) -> None:
    created = 0
    for order, spec in enumerate(data.get("successors") or []):
        with entry(f"partners.yaml: successors: {spec.get('name')!r}"):
            fields = model_fields(SuccessorEntity, without(spec, "name"))
            entity, new = SuccessorEntity.objects.get_or_create(
                name=spec["name"], defaults={**fields, "sort_order": order}
            )
            fill_translations(
                entity, "role", {code: spec.get(column("role", code)) for code in language_codes()}
            )
        created += new
    for order, spec in enumerate(data.get("funders") or []):
        with entry(f"partners.yaml: funders: {spec.get('name')!r}"):
            _, new = Partner.objects.get_or_create(
                name=spec["name"],
                role=PartnerRole.FUNDER,
                defaults={**model_fields(Partner, without(spec, "name")), "sort_order": order},
            )
        created += new
    for order, name in enumerate(data.get("consortium") or []):
        _, new = Partner.objects.get_or_create(
            name=name, role=PartnerRole.CONSORTIUM, defaults={"sort_order": order}
        )
        created += new
    log(f"snippets: {created} created")


def seed_settings(home: HomePage, site_spec: dict) -> None:
    site = Site.objects.filter(root_page=home).first()
    if site is None or not site_spec.get("contact_email"):
        return
    settings = ClubSettings.for_site(site)
    if not settings.contact_email:
        settings.contact_email = site_spec["contact_email"]
        settings.save()
    fill_translations(
        settings,
        "address",
        {code: site_spec.get(column("address", code)) for code in language_codes()},
    )
    if site_spec.get("address"):
        fill_translations(settings, "address", {"en": site_spec["address"]})
    seed_menu(home, site, site_spec.get("menu") or [])


def seed_menu(home: HomePage, site: Site, items: list[dict]) -> None:
    """The main menu, once: a menu that editors have set is theirs."""
    menu = NavigationSettings.for_site(site)
    if menu.menu_items.exists():
        return
    for order, spec in enumerate(items):
        with entry(f"pages.yaml: menu item {spec.get('path') or spec.get('page')!r}"):
            page = None
            if spec.get("page"):
                page = home.get_children().filter(slug=spec["page"]).first()
                if page is None:
                    raise DemoDataError(f"no page {spec['page']!r} under the home page")
            item = MenuItem(
                menu=menu, sort_order=order, link_page=page, link_path=spec.get("path", "")
            )
            labels = spec["label"]
            for code, label in labels.items():
                setattr(item, column("label", code), label)
            item.full_clean(exclude=["menu"])
            item.save()


def seed_translations(home: HomePage, log: Log, *, pages: list | None = None) -> None:
    """Alias the English tree (or ``pages`` of it, parents first) into the other locales, as
    the admin does for new pages.

    With WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE on, every page an editor creates gets
    aliases in the other locales; the demo tree follows the same rule so /de/, /fr/ and
    /es/ answer and editors can translate from there.
    """
    if pages is None:
        club_types = (
            HomePage,
            StandardPage,
            NewsIndexPage,
            NewsPage,
            CallIndexPage,
            CallPage,
            DocumentLibraryPage,
        )
        pages = [home, *[p.specific for p in home.get_descendants().order_by("path")]]
        pages = [page for page in pages if isinstance(page, club_types)]
    created = 0
    for locale in Locale.objects.exclude(pk=home.locale_id):
        for page in pages:
            if page.has_translation(locale):
                continue
            parent = page.get_parent()
            if page.pk != home.pk and not parent.has_translation(locale):
                continue
            page.copy_for_translation(locale, copy_parents=False, alias=True)
            created += 1
    log(f"translations: {created} aliases created")


def seed_translated_pages(home: HomePage, specs: list, *, documents: dict, log: Log) -> None:
    """Turn the aliases of the pages in ``specs`` (translations.yaml) into real translations
    with their own title, intro and body, as an editor translating them in the admin does."""
    from wagtail.actions.convert_alias import ConvertAliasPageAction

    translated = 0
    for spec in specs or []:
        path = spec.get("page", "")
        with entry(f"translations.yaml: {path or 'home'}"):
            page = home
            for slug in [part for part in path.split("/") if part]:
                page = child_page(page, slug)
                if page is None:
                    raise DemoDataError(f"no page at {path!r} under the home page")
            for code, fields in without(spec, "page").items():
                locale = Locale.objects.filter(language_code=code).first()
                if locale is None:
                    raise DemoDataError(f"no locale {code!r}")
                version = page.get_translation_or_none(locale)
                if version is None:
                    continue
                version = version.specific
                plain = without(fields, "body", "sessions")
                for name in plain:
                    if not hasattr(version, name):
                        raise DemoDataError(f"{type(version).__name__} has no field {name!r}")
                if version.alias_of_id is None and all(
                    getattr(version, name) == value for name, value in plain.items()
                ):
                    continue  # translated by an earlier run (or an editor): left alone
                if version.alias_of_id is not None:
                    ConvertAliasPageAction(version, log_action=None).execute(
                        skip_permission_checks=True
                    )
                    version = type(page).objects.get(pk=version.pk)
                for name, value in plain.items():
                    setattr(version, name, value)
                version.draft_title = version.title
                if "body" in fields:
                    version.body = stream(fields["body"], documents=documents)
                if "sessions" in fields:
                    # The programme's titles, in the order of the English programme.
                    sessions = list(version.sessions.order_by("sort_order"))
                    if len(fields["sessions"]) != len(sessions):
                        raise DemoDataError(f"{len(sessions)} sessions to translate")
                    for session, title in zip(sessions, fields["sessions"], strict=True):
                        session.title = title
                    version.sessions = sessions
                version.save_revision().publish(log_action=False)
                translated += 1
    log(f"translations: {translated} pages translated")


def seed_club(*, log: Log, data_dir: Path = DATA_DIR) -> HomePage:
    """The club's pages, documents, footer and settings (pages.yaml, partners.yaml);
    returns the English home page."""
    pages = read_data(data_dir, "pages.yaml")
    partners = read_data(data_dir, "partners.yaml")
    site_spec = pages.get("site") or {}
    with transaction.atomic():
        documents = seed_documents(pages.get("documents"), log)
        images = seed_images(pages.get("images"), log)
        home = seed_home(
            pages.get("home") or {}, site_spec, documents=documents, images=images, log=log
        )
        counts = {"created": 0}
        for spec in pages.get("pages") or []:
            ensure_page(home, spec, documents=documents, counts=counts)
        log(f"pages: {counts['created']} created, {home.get_descendants().count()} under home")
        seed_footer(partners, log)
        seed_settings(home, site_spec)
        seed_translations(home, log)
        if (Path(data_dir) / "translations.yaml").exists():
            translations = read_data(data_dir, "translations.yaml")
            seed_translated_pages(home, translations.get("pages"), documents=documents, log=log)
    return home


# --- Members: sectors, organisations, labels, members ------------------------------------

# Fields an organisation entry may leave out, cleared when it does so that removing a line
# from the file removes the value at the next load.
ORGANISATION_BLANKS = {
    "website": "",
    "year_founded": None,
    "members_sme": 0,
    "members_large": 0,
    "members_research": 0,
    "members_other": 0,
}


def seed_organisations(data: dict, log: Log) -> dict:
    sectors = {}
    for spec in data.get("sectors") or []:
        names = spec if isinstance(spec, dict) else {"en": spec}
        with entry(f"organisations.yaml: sector {names.get('en')!r}"):
            name = names["en"]
            sector, _ = Sector.objects.get_or_create(slug=slugify(name), defaults={"name": name})
            fill_translations(sector, "name", names)
            sectors[name] = sector
    log(f"members: {len(sectors)} sectors")

    organisations = {}
    for spec in data.get("organisations") or []:
        with entry(f"organisations.yaml: {spec.get('slug') or spec.get('name')!r}"):
            slug = spec.get("slug") or slugify(spec["name"])
            spec = {**spec, "slug": slug}
            spec = fill_defaults(spec, data.get("defaults"), spec)
            fields = {
                **ORGANISATION_BLANKS,
                **model_fields(Organisation, without(spec, "slug", "sectors", "technologies")),
            }
            organisation, _ = Organisation.objects.update_or_create(slug=slug, defaults=fields)
            organisation.sectors.set(
                [lookup(sectors, name, "sector") for name in spec.get("sectors") or []]
            )
            organisation.technologies.set(spec.get("technologies") or [])
            organisation.save()
        member_services.announce_organisation_changed(organisation=organisation)
        organisations[slug] = organisation
    log(f"members: {len(organisations)} organisations")

    labels = data.get("labels") or []
    for spec in labels:
        with entry(f"organisations.yaml: label of {spec.get('organisation')!r}"):
            organisation = lookup(organisations, spec["organisation"], "organisation")
            fields = model_fields(QualityLabel, without(spec, "organisation", "valid_days"))
            if "valid_days" in spec:
                fields["valid_until"] = fields["awarded_on"] + datetime.timedelta(
                    days=int(spec["valid_days"])
                )
            level = fields.pop("level")
            QualityLabel.objects.update_or_create(
                organisation=organisation, level=level, defaults=fields
            )
    log(f"members: {len(labels)} quality labels")
    return organisations


def seed_people(data: dict, organisations: dict, log: Log) -> None:
    User = get_user_model()
    profiles = {}
    for spec in data.get("members") or []:
        with entry(f"members.yaml: {spec.get('username')!r}"):
            username = spec["username"]
            organisation = lookup(organisations, spec["organisation"], "organisation")
            spec = fill_defaults(
                spec, data.get("defaults"), {**spec, "organisation": organisation.name}
            )
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": spec["email"]}
            )
            if created:
                # Demo accounts cannot sign in: no password anyone could guess.
                user.set_unusable_password()
                user.save()
            profile = user.profile
            for name, value in model_fields(
                type(profile),
                {
                    "display_name": spec["name"],
                    "job_title": spec.get("job_title", ""),
                    "visibility": spec["visibility"],
                    "bio": spec.get("bio", ""),
                    "language": spec.get("language", "en"),
                },
            ).items():
                setattr(profile, name, value)
            profile.country = organisation.country
            profile.save()
            profile.expertise.set(spec.get("expertise") or [])
            profile.save()
            Membership.objects.update_or_create(
                member=profile,
                organisation=organisation,
                defaults={
                    "status": Membership.Status.APPROVED,
                    "is_primary": True,
                    "role": spec.get("job_title", ""),
                },
            )
            organisation.co_admins.add(user)
            profiles[username] = profile
    log(f"members: {len(profiles)} demo members")

    for spec in data.get("requests") or []:
        with entry(f"members.yaml: request of {spec.get('member')!r}"):
            Membership.objects.get_or_create(
                member=lookup(profiles, spec["member"], "member"),
                organisation=lookup(organisations, spec["organisation"], "organisation"),
                defaults=model_fields(Membership, without(spec, "member", "organisation")),
            )
    for spec in data.get("registers") or []:
        with entry(f"members.yaml: register entry of {spec.get('member')!r}"):
            fields = model_fields(RegisterEntry, without(spec, "member"))
            RegisterEntry.objects.update_or_create(
                member=lookup(profiles, spec["member"], "member"),
                register=fields.pop("register"),
                defaults=fields,
            )
    for spec in data.get("follows") or []:
        with entry(f"members.yaml: follow by {spec.get('follower')!r}"):
            target = (
                {"member": lookup(profiles, spec["member"], "member")}
                if "member" in spec
                else {"organisation": lookup(organisations, spec["organisation"], "organisation")}
            )
            Follow.objects.get_or_create(
                follower=lookup(profiles, spec["follower"], "member"), **target
            )
    for spec in data.get("activities") or []:
        with entry(f"members.yaml: activity {spec.get('verb')!r}"):
            keys = {"verb": model_fields(Activity, {"verb": spec["verb"]})["verb"]}
            if "member" in spec:
                keys["member"] = lookup(profiles, spec["member"], "member")
            if "organisation" in spec:
                keys["organisation"] = lookup(organisations, spec["organisation"], "organisation")
            Activity.objects.get_or_create(
                **keys,
                defaults=model_fields(Activity, without(spec, "verb", "member", "organisation")),
            )
    for spec in data.get("organisation_requests") or []:
        with entry(f"members.yaml: organisation request of {spec.get('member')!r}"):
            fields = model_fields(OrganisationRequest, without(spec, "member", "organisation"))
            if "organisation" in spec:
                fields["organisation"] = lookup(organisations, spec["organisation"], "organisation")
            OrganisationRequest.objects.get_or_create(
                requester=lookup(profiles, spec["member"], "member").user,
                kind=fields.pop("kind"),
                name=fields.pop("name", ""),
                defaults=fields,
            )
    for spec in data.get("coadmin_invitations") or []:
        with entry(f"members.yaml: invitation by {spec.get('invited_by')!r}"):
            invitee = lookup(profiles, spec["member"], "member").user if "member" in spec else None
            CoAdminInvitation.objects.get_or_create(
                organisation=lookup(organisations, spec["organisation"], "organisation"),
                email=(invitee.email if invitee else spec["email"]).lower(),
                status=CoAdminInvitation.Status.PENDING,
                defaults={
                    "invitee": invitee,
                    "invited_by": lookup(profiles, spec["invited_by"], "member").user,
                    "token": secrets.token_urlsafe(32),
                },
            )
    log(
        "members: registers, follows, membership requests, organisation requests, "
        "invitations and dashboard news"
    )


def seed_members(*, home=None, log: Log, data_dir: Path = DATA_DIR) -> None:
    """Sectors, organisations and labels (organisations.yaml), then the members, their
    memberships, registers, follows and dashboard news (members.yaml). ``home`` is unused:
    nothing here is a page."""
    organisations_data = read_data(data_dir, "organisations.yaml")
    members_data = read_data(data_dir, "members.yaml")
    with transaction.atomic():
        organisations = seed_organisations(organisations_data, log)
        seed_people(members_data, organisations, log)


# --- Events --------------------------------------------------------------------------------

# Keys of an event entry that are not fields of the event page itself.
EVENT_EXTRAS = (
    "timezone",
    "organiser",
    "sessions",
    "questions",
    "ticket_types",
    "speakers",
    "picture",
)


def event_picture(spec: dict):
    """The generated picture of an event of events.yaml (``picture``: its file name)."""
    if not spec.get("picture"):
        return None
    Image = get_image_model()
    title = f"Event: {spec['title']}"
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(title=title)
        image.file.save(spec["picture"], ContentFile(build_banner_png()), save=False)
        image.width, image.height = BANNER_SIZE
        image.save()
    return image


def event_speaker(spec: dict, order: int) -> EventSpeaker:
    """A speaker of events.yaml: ``member`` names a member by username (the profile is
    linked); ``photo`` is the file name of a generated portrait."""
    member = None
    if spec.get("member"):
        member = MemberProfile.objects.filter(user__username=spec["member"]).first()
        if member is None:
            raise DemoDataError(f"speaker {spec.get('name')!r}: no member {spec['member']!r}")
    photo = None
    if spec.get("photo"):
        Image = get_image_model()
        title = f"Speaker: {spec['name']}"
        photo = Image.objects.filter(title=title).first()
        if photo is None:
            photo = Image(title=title)
            photo.file.save(spec["photo"], ContentFile(build_portrait_png()), save=False)
            photo.width, photo.height = PORTRAIT_SIZE
            photo.save()
    return EventSpeaker(
        sort_order=order,
        **model_fields(EventSpeaker, without(spec, "member", "photo")),
        member=member,
        photo=photo,
    )


def seed_event(*, index: EventIndexPage, spec: dict, log: Log) -> EventPage:
    with entry(f"events.yaml: {spec.get('slug')!r}"):
        existing = EventPage.objects.child_of(index).filter(slug=spec["slug"]).first()
        if existing is not None:
            return existing
        try:
            tz = zoneinfo.ZoneInfo(spec["timezone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise DemoDataError(f"unknown time zone {spec['timezone']!r}") from None
        event = EventPage(
            **model_fields(EventPage, without(spec, *EVENT_EXTRAS), tz=tz),
            timezone=spec["timezone"],
            image=event_picture(spec),
            organiser=Organisation.objects.filter(name=spec["organiser"]).first()
            if spec.get("organiser")
            else None,
        )
        for order, session in enumerate(spec.get("sessions") or []):
            event.sessions.add(
                EventSession(sort_order=order, **model_fields(EventSession, session, tz=tz))
            )
        for order, question in enumerate(spec.get("questions") or []):
            fields = model_fields(RegistrationQuestion, question)
            event.questions.add(RegistrationQuestion(sort_order=order, **fields))
        for order, speaker in enumerate(spec.get("speakers") or []):
            event.speakers.add(event_speaker(speaker, order))
    index.add_child(instance=event)
    event.save_revision().publish(log_action=False)
    seed_ticket_types(event=event, specs=spec.get("ticket_types") or [])
    log(f"events: {event.title}")
    return event


def seed_ticket_types(*, event: EventPage, specs: list) -> None:
    """The event's ticket types (with their own questions) of events.yaml."""
    for order, spec in enumerate(specs):
        with entry(f"events.yaml: ticket type {spec.get('name')!r}"):
            ticket_type = TicketType(
                event=event,
                sort_order=order,
                **model_fields(TicketType, without(spec, "questions")),
            )
            for number, question in enumerate(spec.get("questions") or []):
                ticket_type.questions.add(
                    TicketQuestion(sort_order=number, **model_fields(TicketQuestion, question))
                )
            ticket_type.save()


def seed_events(*, home, log: Log, data_dir: Path = DATA_DIR) -> None:
    """The event index under ``home`` and the events of events.yaml."""
    data = read_data(data_dir, "events.yaml")
    with transaction.atomic():
        index = EventIndexPage.objects.child_of(home).first()
        if index is None:
            with entry("events.yaml: index"):
                index = EventIndexPage(**model_fields(EventIndexPage, data["index"]))
            home.add_child(instance=index)
            index.save_revision().publish(log_action=False)
            log(f"events: event index at /{index.slug}/")
        for spec in data.get("events") or []:
            seed_event(index=index, spec=spec, log=log)
        # The events in every language, as the admin makes them: aliases, and real
        # translations of those in translations.yaml.
        events = [page.specific for page in index.get_descendants().order_by("path")]
        seed_translations(home, log, pages=[index, *events])
        if (Path(data_dir) / "translations.yaml").exists():
            translations = read_data(data_dir, "translations.yaml")
            seed_translated_pages(home, translations.get("events"), documents={}, log=log)


# --- Forum ---------------------------------------------------------------------------------


def forum_author(username: str, authors: dict):
    """The account of a post's author, made public and without a password when new."""
    spec = lookup(authors, username, "author (under `authors`)")
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": spec.get("email", "")}
    )
    if created:
        user.set_unusable_password()
        user.save()
    profile = user.profile
    if not profile.display_name:
        profile.display_name = spec["name"]
        profile.visibility = "public"
        profile.save()
    return user


def seed_forum(*, home=None, log: Log, data_dir: Path = DATA_DIR) -> None:
    """The categories and the threads with their posts of forum.yaml."""
    data = read_data(data_dir, "forum.yaml")
    authors = data.get("authors") or {}
    threads = data.get("threads") or []
    with transaction.atomic():
        categories = {}
        for order, spec in enumerate(data.get("categories") or [], start=1):
            with entry(f"forum.yaml: category {spec.get('slug')!r}"):
                category, _ = Category.objects.update_or_create(
                    slug=spec["slug"],
                    defaults={**model_fields(Category, without(spec, "slug")), "order": order},
                )
            categories[category.slug] = category
        log(f"forum: {len(categories)} categories")
        for spec in threads:
            with entry(f"forum.yaml: thread {spec.get('title')!r}"):
                if Thread.objects.filter(title=spec["title"]).exists():
                    continue
                posts = spec["posts"]
                # Rows are written directly rather than through the services: demo content
                # must not trip the rate limits or send notifications.
                thread = Thread.objects.create(
                    category=lookup(categories, spec["category"], "category"),
                    title=spec["title"],
                    author=forum_author(posts[0]["author"], authors),
                    last_activity=timezone.now(),
                    reply_count=len(posts) - 1,
                )
                thread.tags.set(spec.get("tags") or [])
                for post in posts:
                    Post.objects.create(
                        thread=thread,
                        author=forum_author(post["author"], authors),
                        body=post["body"],
                        body_html=render_markdown(post["body"]),
                    )
        titles = [spec["title"] for spec in threads]
        log(f"forum: {Thread.objects.filter(title__in=titles).count()} demo threads")


# --- Partner requests ------------------------------------------------------------------------


def seed_partnering(*, home=None, log: Log, data_dir: Path = DATA_DIR) -> None:
    """The open requests of partnering.yaml, the organisations that fit them, their
    interests and private conversations. Rows are written directly, as the forum's are:
    demo content must not trip the rate limits or notify anyone."""
    from forum.models import ThreadParticipant
    from forum.services import private_category
    from partnering import matching
    from partnering import services as partnering_services
    from partnering.models import Interest, PartnerMatch, PartnerRequest, RequestCountry

    data = read_data(data_dir, "partnering.yaml")
    users = get_user_model().objects
    made = 0
    with transaction.atomic():
        for spec in data.get("requests") or []:
            with entry(f"partnering.yaml: request {spec.get('title')!r}"):
                if PartnerRequest.objects.filter(title=spec["title"]).exists():
                    continue
                call = None
                if spec.get("call"):
                    call = CallPage.objects.filter(slug=spec["call"]).first()
                item = PartnerRequest.objects.create(
                    author=users.get(username=spec["author"]),
                    organisation=Organisation.objects.get(slug=spec["organisation"]),
                    kind=spec["kind"],
                    title=spec["title"],
                    description=spec["description"],
                    description_html=render_markdown(spec["description"]),
                    call=call,
                    funding_reference=spec.get("funding_reference") or "",
                    deadline=parse_when(spec["deadline"]).date(),
                    status=PartnerRequest.Status.OPEN,
                    published=timezone.now(),
                )
                item.sectors.set(Sector.objects.filter(name__in=spec.get("sectors") or []))
                item.technologies.set(
                    partnering_services.clean_technologies(spec.get("technologies") or [])
                )
                RequestCountry.objects.bulk_create(
                    [RequestCountry(request=item, country=c) for c in spec.get("countries") or []]
                )
                for rank, ranked in enumerate(matching.rank_organisations(item), start=1):
                    PartnerMatch.objects.create(
                        request=item,
                        organisation_id=ranked.organisation_id,
                        rank=rank,
                        score=ranked.score,
                        reasons=ranked.reasons,
                        notified=True,
                    )
                item.matched = timezone.now()
                item.save(update_fields=["matched"])
                for answer in spec.get("interests") or []:
                    member = users.get(username=answer["member"])
                    organisation = Organisation.objects.filter(
                        slug=answer.get("organisation") or ""
                    ).first()
                    posts = answer["conversation"]
                    thread = Thread.objects.create(
                        category=private_category(),
                        title=item.title,
                        author=member,
                        last_activity=timezone.now(),
                        reply_count=len(posts) - 1,
                    )
                    ThreadParticipant.objects.bulk_create(
                        [
                            ThreadParticipant(thread=thread, user=member),
                            ThreadParticipant(thread=thread, user=item.author),
                            ThreadParticipant(thread=thread, organisation=item.organisation),
                        ]
                        + (
                            [ThreadParticipant(thread=thread, organisation=organisation)]
                            if organisation
                            else []
                        )
                    )
                    for post in posts:
                        Post.objects.create(
                            thread=thread,
                            author=users.get(username=post["author"]),
                            body=post["body"],
                            body_html=render_markdown(post["body"]),
                        )
                    Interest.objects.create(
                        request=item,
                        member=member,
                        organisation=organisation,
                        message=posts[0]["body"],
                        conversation=thread,
                        status=answer.get("status") or Interest.Status.PENDING,
                    )
                made += 1
        log(f"partnering: {made} requests created")


# --- Matchmaking ---------------------------------------------------------------------------


def seed_matchmaking(*, home=None, log: Log, data_dir: Path = DATA_DIR) -> None:
    """The members, matchmaking settings, participants and meetings of matchmaking.yaml.

    Registrations, participants and meetings are written as rows (no e-mails go out); the
    database's constraints hold the one-meeting-per-slot rule for them as for the site.
    An event that already has matchmaking is left as it is.
    """
    if not (Path(data_dir) / "matchmaking.yaml").exists():
        return
    data = read_data(data_dir, "matchmaking.yaml")
    with transaction.atomic():
        organisations = {
            organisation.slug: organisation for organisation in Organisation.objects.all()
        }
        seed_people(
            {"defaults": data.get("defaults"), "members": data.get("members") or []},
            organisations,
            log,
        )
        for spec in data.get("matchmaking") or []:
            with entry(f"matchmaking.yaml: {spec.get('event')!r}"):
                seed_event_matchmaking(spec, log)


def seed_event_matchmaking(spec: dict, log: Log) -> None:
    event = EventPage.objects.filter(slug=spec["event"], locale=Locale.get_default()).first()
    if event is None:
        raise DemoDataError(f"no event with the slug {spec['event']!r}")
    if Matchmaking.objects.filter(event=event).exists():
        return
    tz = event.tzinfo
    matchmaking = Matchmaking.objects.create(
        event=event,
        slot_minutes=spec.get("slot_minutes", 20),
        break_minutes=spec.get("break_minutes", 5),
        max_meetings=spec.get("max_meetings", 10),
        booking_opens=parse_when(spec["booking_opens"]).replace(tzinfo=tz)
        if spec.get("booking_opens")
        else None,
    )
    for order, hours in enumerate(spec.get("hours") or []):
        MeetingBlock.objects.create(
            matchmaking=matchmaking,
            sort_order=order,
            start=parse_when(hours["start"]).replace(tzinfo=tz),
            end=parse_when(hours["end"]).replace(tzinfo=tz),
        )
    for order, table in enumerate(spec.get("tables") or []):
        table = table if isinstance(table, dict) else {"name": table}
        Table.objects.create(matchmaking=matchmaking, sort_order=order, **table)
    slots = matchmaking_services.generate_slots(matchmaking=matchmaking)
    profiles = {}
    for participant in spec.get("participants") or []:
        profile = lookup(
            {p.user.username: p for p in MemberProfile.objects.select_related("user")},
            participant["member"],
            "member",
        )
        Registration.objects.update_or_create(
            event=event, member=profile, defaults={"status": Registration.Status.CONFIRMED}
        )
        membership = profile.memberships.filter(status=Membership.Status.APPROVED).first()
        Participant.objects.create(
            matchmaking=matchmaking,
            member=profile,
            organisation=membership.organisation if membership else None,
            offer=participant.get("offer", ""),
            looking_for=participant.get("looking_for", ""),
        )
        profiles[participant["member"]] = profile
    tables = list(matchmaking.tables.order_by("sort_order"))
    for meeting_spec in spec.get("meetings") or []:
        requester = lookup(profiles, meeting_spec["from"], "participant")
        recipient = lookup(profiles, meeting_spec["to"], "participant")
        meeting = Meeting(
            matchmaking=matchmaking,
            requester=requester,
            recipient=recipient,
            message=meeting_spec.get("message", ""),
        )
        if meeting_spec.get("slot"):
            slot = slots[int(meeting_spec["slot"]) - 1]
            taken = set(
                Meeting.objects.filter(slot=slot, status="accepted").values_list(
                    "table_id", flat=True
                )
            )
            meeting.slot = slot
            meeting.table = next(table for table in tables if table.pk not in taken)
            meeting.status = Meeting.Status.ACCEPTED
        meeting.save()
        if meeting.slot:
            MeetingSeat.objects.bulk_create(
                [
                    MeetingSeat(meeting=meeting, slot=meeting.slot, member=requester),
                    MeetingSeat(meeting=meeting, slot=meeting.slot, member=recipient),
                ]
            )
    log(f"matchmaking: {event.title}, {len(profiles)} participants")


# --- Awards --------------------------------------------------------------------------------

CYCLE_EXTRAS = ("phases", "categories", "criteria", "jury", "applications", "conflicts")


def seed_awards(*, home=None, log: Log, data_dir: Path = DATA_DIR) -> None:
    """The archive of laureates and the award cycles with their phases, categories,
    criteria, jury, applications and declared conflicts (awards.yaml). Applications are
    found by cycle and title, so a second run changes nothing."""
    data = read_data(data_dir, "awards.yaml")
    members = {p.user.username: p for p in MemberProfile.objects.select_related("user")}
    with transaction.atomic():
        for spec in data.get("archive") or []:
            with entry(f"awards.yaml: laureate {spec.get('name')!r}"):
                news = NewsPage.objects.filter(
                    slug=spec.get("news"), locale__language_code="en"
                ).first()
                Laureate.objects.update_or_create(
                    cycle=None,
                    year=spec["year"],
                    name=spec["name"],
                    defaults={
                        **model_fields(Laureate, without(spec, "news", "year", "name")),
                        "news_page": news,
                    },
                )
        for spec in data.get("cycles") or []:
            with entry(f"awards.yaml: cycle {spec.get('slug')!r}"):
                tz = zoneinfo.ZoneInfo(spec.get("time_zone", "Europe/Brussels"))
                cycle, _ = AwardCycle.objects.update_or_create(
                    slug=spec["slug"],
                    defaults=model_fields(
                        AwardCycle, {**without(spec, "slug", *CYCLE_EXTRAS), "is_published": True}
                    ),
                )
                for kind, times in (spec.get("phases") or {}).items():
                    AwardPhase.objects.update_or_create(
                        cycle=cycle,
                        kind=model_fields(AwardPhase, {"kind": kind})["kind"],
                        defaults=model_fields(AwardPhase, times, tz=tz),
                    )
                categories = {}
                for i, item in enumerate(spec.get("categories") or []):
                    categories[item["name"]], _ = AwardCategory.objects.update_or_create(
                        cycle=cycle,
                        name=item["name"],
                        defaults={"description": item.get("description", ""), "sort_order": i},
                    )
                for i, item in enumerate(spec.get("criteria") or []):
                    Criterion.objects.update_or_create(
                        cycle=cycle,
                        name=item["name"],
                        defaults={
                            **model_fields(Criterion, without(item, "name")),
                            "sort_order": i,
                        },
                    )
                jurors = {}
                for i, username in enumerate(spec.get("jury") or []):
                    jurors[username], _ = Juror.objects.update_or_create(
                        cycle=cycle,
                        member=lookup(members, username, "member"),
                        defaults={"sort_order": i},
                    )
                applications = {}
                first_category = next(iter(categories.values()))
                for item in spec.get("applications") or []:
                    applicant = lookup(members, item["applicant"], "member")
                    nominee = lookup(members, item.get("nominee", item["applicant"]), "member")
                    fields = model_fields(
                        Application,
                        without(
                            item, "applicant", "nominee", "organisation", "category", "documents"
                        ),
                    )
                    fields.setdefault(
                        "consent",
                        Application.Consent.NOT_NEEDED
                        if applicant == nominee
                        else Application.Consent.PENDING,
                    )
                    applications[item["title"]], _ = Application.objects.update_or_create(
                        cycle=cycle,
                        title=item["title"],
                        defaults={
                            **fields,
                            "applicant": applicant,
                            "nominee": nominee,
                            "organisation": Organisation.objects.get(slug=item["organisation"]),
                            "category": categories.get(item.get("category"), first_category),
                        },
                    )
                    application = applications[item["title"]]
                    for document_spec in item.get("documents") or []:
                        if application.documents.filter(title=document_spec["title"]).exists():
                            continue
                        document = get_document_model()(
                            title=document_spec["title"],
                            collection=award_services.private_collection(),
                            uploaded_by_user=applicant.user,
                        )
                        pdf = build_pdf(document_spec["title"], document_spec.get("lines", []))
                        document.file.save(document_spec["file"], ContentFile(pdf), save=False)
                        document.save()
                        application.documents.add(document)
                for item in spec.get("conflicts") or []:
                    ConflictOfInterest.objects.update_or_create(
                        juror=lookup(jurors, item["juror"], "juror"),
                        application=lookup(applications, item["application"], "application"),
                        defaults={"reason": item.get("reason", "")},
                    )
    log(
        f"awards: {AwardCycle.objects.count()} cycles, {Application.objects.count()} "
        f"applications, {Laureate.objects.count()} laureates"
    )


# --- Everything ----------------------------------------------------------------------------


def load_demo(*, log: Log, data_dir: Path = DATA_DIR) -> HomePage:
    """All the demo content of ``data_dir``, in order; returns the English home page."""
    log("club: editorial pages, documents, snippets")
    home = seed_club(log=log, data_dir=data_dir)
    for name, seed in (
        ("members", seed_members),
        ("events", seed_events),
        ("forum", seed_forum),
        ("partnering", seed_partnering),
        ("matchmaking", seed_matchmaking),
        ("awards", seed_awards),
    ):
        log(f"{name}: demo content")
        seed(home=home, log=log, data_dir=data_dir)
    return home
