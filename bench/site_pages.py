"""The site's page types and lists, one path each, for the page benchmarks.

Needs Django set up (``bench.common.setup_django``). Each Wagtail page type is represented by
its first live page in the default language; the other views by a path that shows a real
object of the benchmark database (the longest thread, a public profile, ...).
"""


def wagtail_page_paths() -> dict[str, str]:
    """One live page of each Wagtail page type, by the type's name."""
    from django.conf import settings
    from wagtail.models import Locale, Page

    locale = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    paths = {}
    pages = Page.objects.live().public().filter(depth__gt=1).order_by("content_type", "path")
    if locale is not None:
        pages = pages.filter(locale=locale)
    seen = set()
    for page in pages.select_related("content_type").iterator():
        kind = page.content_type.model
        if kind in seen:
            continue
        seen.add(kind)
        url = page.get_url()
        if url:
            paths[f"{page.content_type.name} (page)"] = url
    return paths


def site_page_paths(*, with_api: bool = True) -> dict[str, str]:
    """Every page type of the HTML site, then (``with_api``) the API lists, by label."""
    from awards.models import AwardCycle
    from forum.models import Category, Thread
    from members.models import MemberProfile, Organisation
    from partnering.models import PartnerRequest

    paths = {
        "home": "/",
        "partner search": "/partners/",
        "partner search ?q=energy": "/partners/?q=energy",
        "site search ?q=cluster": "/search/?q=cluster",
        "organisations": "/organisations/",
        "members": "/members/",
        "forum": "/forum/",
        "partner requests": "/partners/requests/",
        "awards": "/awards/",
        "laureates": "/awards/laureates/",
        "registers": "/registers/",
        "dashboard": "/dashboard/",
    }
    organisation = Organisation.objects.published().order_by("pk").first()
    if organisation:
        paths["organisation page"] = f"/organisations/{organisation.slug}/"
    profile = MemberProfile.objects.filter(visibility="public").order_by("pk").first()
    if profile:
        paths["member page"] = f"/members/{profile.pk}/"
    category = Category.objects.filter(visibility="public").order_by("pk").first()
    if category:
        paths["forum category"] = f"/forum/c/{category.slug}/"
    thread = Thread.objects.filter(category__visibility="public").order_by("-reply_count").first()
    if thread:
        paths["forum thread (last page)"] = f"/forum/threads/{thread.pk}/?page=last"
    request = PartnerRequest.objects.filter(status="open").order_by("pk").first()
    if request:
        paths["partner request"] = f"/partners/requests/{request.pk}/"
    cycle = AwardCycle.objects.order_by("pk").first()
    if cycle:
        paths["award cycle"] = f"/awards/{cycle.slug}/"
    paths.update(wagtail_page_paths())
    if with_api:
        paths.update(
            {
                "API pages (news)": "/api/v2/pages/?type=club.NewsPage",
                "API organisations": "/api/organisations/",
                "API events": "/api/events/",
                "API partner search ?q=energy": "/api/search/partners/?q=energy",
                "API forum threads": "/api/forum/threads/",
                "API partner requests": "/api/partner-requests/",
                "API members": "/api/members/",
            }
        )
        if thread:
            paths["API thread posts"] = f"/api/forum/threads/{thread.pk}/posts/"
    return paths


def benchmark_member():
    """The signed-in member the page benchmarks browse as: a generated member when there
    are any (else the demo's first member), with the current terms accepted, since the site
    sends a member who has not accepted them to the consent page instead."""
    from django.contrib.auth import get_user_model

    from privacy.services import accept_current_policies

    users = get_user_model().objects.filter(is_active=True, is_staff=False)
    member = users.filter(username__startswith="bench-member-").order_by("pk").first()
    member = member or users.filter(profile__isnull=False).order_by("pk").first()
    accept_current_policies(user=member)
    return member
