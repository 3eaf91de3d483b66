"""HTML pages of members and organisations: directories, profiles, editing, the dashboard."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from domain.exceptions import Conflict
from members import dashboard, selectors, services
from members.europe_map import europe_map, organisations_per_country
from members.forms import (
    ClaimForm,
    InviteForm,
    JoinForm,
    LogoForm,
    MemberFilterForm,
    OrganisationFilterForm,
    OrganisationForm,
    OrganisationRequestForm,
    ProfileForm,
)
from members.models import (
    CoAdminInvitation,
    Follow,
    MemberProfile,
    Membership,
    Organisation,
    OrganisationRequest,
    QualityLabel,
    RegisterEntry,
)
from members.panels import render_organisation_panels
from members.profile_privacy import field_visible, shown_profile

PAGE_SIZE = 24


def _back(request, fallback: str):
    """Redirect to ``next`` when it is a safe local address, else to ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


def _apply_form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Members ---------------------------------------------------------------------------------


def _directory(
    request, *, form, queryset, apply_filters, ordering, template, extra=None, prepare=None
):
    """A filtered, paged directory; invalid filter values are shown on the form, not applied.
    ``prepare(item)`` readies each item of the page for the visitor."""
    if form.is_valid():
        queryset, _errors = apply_filters(queryset, form.cleaned_data)
    page = Paginator(queryset.order_by(*ordering), PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page if prepare else ():
        prepare(item)
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "querystring": params.urlencode(), **(extra or {})}
    return render(request, template, context)


def member_list(request):
    """The member directory: profiles the visitor may see, with filters."""
    return _directory(
        request,
        form=MemberFilterForm(request.GET or None),
        queryset=MemberProfile.objects.visible_to(request.user).for_listing(),
        apply_filters=functools.partial(selectors.filter_members, viewer=request.user),
        ordering=("display_name", "pk"),
        template="members/member_list.html",
        prepare=lambda profile: setattr(
            profile, "shown", shown_profile(profile=profile, viewer=request.user)
        ),
    )


def member_detail(request, pk: int):
    """A profile page; a profile the visitor may not see is a 404, as if it did not exist."""
    profile = get_object_or_404(MemberProfile.objects.visible_to(request.user).for_listing(), pk=pk)
    viewer_profile = (
        getattr(request.user, "profile", None) if request.user.is_authenticated else None
    )
    is_following = bool(
        viewer_profile and Follow.objects.filter(follower=viewer_profile, member=profile).exists()
    )
    hide_expired = selectors.hides_expired_entries(request)
    entries = [
        e
        for e in profile.register_entries.all()
        if e.status != RegisterEntry.Status.WITHDRAWN and not (hide_expired and e.is_expired())
    ]
    return render(
        request,
        "members/member_detail.html",
        {
            "profile": profile,
            "is_self": viewer_profile is not None and viewer_profile.pk == profile.pk,
            "is_following": is_following,
            "register_entries": entries,
            "shown": shown_profile(profile=profile, viewer=request.user),
        },
    )


@login_required
@require_POST
def member_follow(request, pk: int):
    target = get_object_or_404(MemberProfile.objects.visible_to(request.user), pk=pk)
    try:
        if request.POST.get("action") == "unfollow":
            services.unfollow(follower=request.user.profile, member=target)
            messages.success(request, _("You no longer follow %(name)s.") % {"name": target.name})
        else:
            services.follow(follower=request.user.profile, member=target)
            messages.success(request, _("You now follow %(name)s.") % {"name": target.name})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, target.get_absolute_url())


@login_required
def member_dashboard(request):
    """The signed-in member's page: news from whom they follow, requests, registered sections."""
    profile = request.user.profile
    following = dashboard.following_for(profile)
    return render(
        request,
        "members/dashboard.html",
        {
            "profile": profile,
            "activities": selectors.dashboard_activities(profile=profile),
            "followed_members": selectors.followed_members(profile=profile).order_by(
                "display_name"
            ),
            "followed_organisations": selectors.followed_organisations(profile=profile),
            "pending_decisions": selectors.pending_memberships_for(user=request.user)[:20],
            "sections": dashboard.build_sections(profile=profile, following=following),
            # The activity above is the members app's own part of the feed.
            "feed": [
                item
                for item in dashboard.build_feed(profile=profile, following=following)
                if item.kind != "members.activity"
            ],
        },
    )


@login_required
def profile_edit(request):
    profile = request.user.profile
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=profile)
        if form.is_valid():
            try:
                services.update_profile(profile=profile, actor=request.user, changes=form.changes())
            except ValidationError as error:
                _apply_form_errors(form, error)
            else:
                messages.success(request, _("Your profile was saved."))
                return redirect("members:member_detail", pk=profile.pk)
    else:
        form = ProfileForm(instance=profile)
    return render(request, "members/profile_edit.html", {"form": form, "profile": profile})


@login_required
def my_organisations(request):
    """ "My organisations": the member's memberships and requests, and what they administer."""
    profile = request.user.profile
    memberships = profile.memberships.select_related("organisation").order_by(
        "-is_primary", "organisation__name"
    )
    administered = (
        Organisation.objects.filter(co_admins=request.user)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(status=Membership.Status.REQUESTED)
                .select_related("member__user")
                .order_by("requested"),
                to_attr="pending_requests",
            )
        )
        .order_by("name")
    )
    return render(
        request,
        "members/my_organisations.html",
        {
            "memberships": memberships,
            "administered": administered,
            "organisation_requests": OrganisationRequest.objects.filter(
                requester=request.user
            ).select_related("organisation"),
            "invitations": services.invitations_for(user=request.user),
        },
    )


@login_required
@require_POST
def membership_leave(request, pk: int):
    membership = get_object_or_404(
        Membership.objects.select_related("member"), pk=pk, member__user=request.user
    )
    services.leave_membership(membership=membership, actor=request.user)
    messages.success(request, _("Done."))
    return redirect("members:my_organisations")


@login_required
@require_POST
def membership_primary(request, pk: int):
    membership = get_object_or_404(
        Membership.objects.select_related("member"), pk=pk, member__user=request.user
    )
    try:
        services.set_primary_membership(membership=membership, actor=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    return redirect("members:my_organisations")


# --- Organisations -------------------------------------------------------------------------------


def organisation_list(request):
    """The organisation directory, with the same filters as /api/organisations/, and the
    map of where all of them are (each country linked to the partner search there)."""
    visible = Organisation.objects.visible_to(request.user)
    partner_search = reverse("search:partners")
    return _directory(
        request,
        form=OrganisationFilterForm(request.GET or None),
        queryset=visible.for_listing(),
        apply_filters=selectors.filter_organisations,
        ordering=("name", "pk"),
        template="members/organisation_list.html",
        extra={
            "map": europe_map(
                organisations_per_country(visible),
                link=lambda code: f"{partner_search}?{urlencode({'country': code})}",
            )
        },
    )


def _visible_organisation(request, slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.visible_to(request.user), slug=slug)


def organisation_detail(request, slug: str):
    organisation = get_object_or_404(
        Organisation.objects.visible_to(request.user).for_listing(), slug=slug
    )
    user = request.user
    profile = user.profile if user.is_authenticated else None
    can_administer = selectors.user_can_administer(user=user, organisation=organisation)
    partner_search = reverse("search:partners")
    members = (
        Membership.objects.filter(
            # Not those who hide their organisations from this visitor.
            field_visible("organisations", user, prefix="member__"),
            organisation=organisation,
            status=Membership.Status.APPROVED,
            member__in=MemberProfile.objects.visible_to(user),
        )
        .select_related("member__user")
        .order_by("member__display_name")
    )
    own_membership = (
        Membership.objects.filter(organisation=organisation, member=profile).first()
        if profile
        else None
    )
    return render(
        request,
        "members/organisation_detail.html",
        {
            "organisation": organisation,
            "labels": QualityLabel.objects.filter(organisation=organisation).order_by(
                "-valid_until"
            ),
            "current_label": organisation.current_label(),
            "members": members,
            "can_administer": can_administer,
            "pending": (
                selectors.pending_memberships_for(user=user).filter(organisation=organisation)
                if can_administer
                else []
            ),
            "own_membership": own_membership,
            "panels": render_organisation_panels(request, organisation),
            "location_map": europe_map(
                {organisation.country.code: 1} if organisation.country else {},
                link=lambda code: f"{partner_search}?{urlencode({'country': code})}",
            ),
            "is_following": bool(
                profile
                and Follow.objects.filter(follower=profile, organisation=organisation).exists()
            ),
            "join_form": JoinForm(),
            "claim_form": ClaimForm(),
        },
    )


@login_required
def organisation_edit(request, slug: str):
    """Co-admins and editors edit the organisation's public profile; others get a 403."""
    organisation = _visible_organisation(request, slug)
    if not selectors.user_can_administer(user=request.user, organisation=organisation):
        raise PermissionDenied(_("You do not administer this organisation."))
    if request.method == "POST":
        form = OrganisationForm(request.POST, instance=organisation)
        if form.is_valid():
            try:
                services.update_organisation(
                    organisation=organisation, actor=request.user, changes=form.changes()
                )
            except ValidationError as error:
                _apply_form_errors(form, error)
            else:
                messages.success(request, _("The organisation was saved."))
                return redirect(organisation.get_absolute_url())
    else:
        form = OrganisationForm(instance=organisation)
    return render(
        request,
        "members/organisation_edit.html",
        {"form": form, "organisation": organisation},
    )


@login_required
@require_POST
def organisation_join(request, slug: str):
    organisation = _visible_organisation(request, slug)
    form = JoinForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the role and message."))
        return redirect(organisation.get_absolute_url())
    try:
        services.request_membership(
            member=request.user.profile,
            organisation=organisation,
            role=form.cleaned_data["role"],
            message=form.cleaned_data["message"],
        )
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Your request was sent; a co-admin of the organisation will decide.")
        )
    return redirect(organisation.get_absolute_url())


@login_required
@require_POST
def membership_decide(request, slug: str, pk: int, decision: str):
    organisation = _visible_organisation(request, slug)
    membership = get_object_or_404(
        Membership.objects.select_related("member__user", "organisation"),
        pk=pk,
        organisation=organisation,
    )
    action = {"approve": services.approve_membership, "reject": services.reject_membership}[
        decision
    ]
    try:
        action(membership=membership, actor=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        if decision == "approve":
            messages.success(request, _("%(name)s was approved.") % {"name": membership.member})
        else:
            messages.success(request, _("The request was rejected."))
    return _back(request, organisation.get_absolute_url())


@login_required
@require_POST
def organisation_follow(request, slug: str):
    organisation = _visible_organisation(request, slug)
    if request.POST.get("action") == "unfollow":
        services.unfollow(follower=request.user.profile, organisation=organisation)
        messages.success(request, _("You no longer follow %(name)s.") % {"name": organisation})
    else:
        services.follow(follower=request.user.profile, organisation=organisation)
        messages.success(request, _("You now follow %(name)s.") % {"name": organisation})
    return _back(request, organisation.get_absolute_url())


# --- Registers --------------------------------------------------------------------------------

REGISTER_SLUGS = {
    "foundation-tutors": RegisterEntry.Register.TUTORS,
    "foundation-instructors": RegisterEntry.Register.INSTRUCTORS,
}


def register_index(request):
    return render(
        request,
        "members/register_index.html",
        {
            "registers": [
                (reverse("members:register", kwargs={"register": slug}), register.label)
                for slug, register in REGISTER_SLUGS.items()
            ]
        },
    )


def register_detail(request, register: str):
    """A public register page; members whose profile the visitor may not see are left out."""
    kind = REGISTER_SLUGS[register]
    entries = selectors.register_entries(
        register=kind,
        viewer=request.user,
        hide_expired=selectors.hides_expired_entries(request),
    )
    return render(
        request,
        "members/register.html",
        {"register": kind, "entries": entries},
    )


# --- Co-administration -----------------------------------------------------------------------


def _administered_organisation(request, slug: str) -> Organisation:
    organisation = _visible_organisation(request, slug)
    if not selectors.user_can_administer(user=request.user, organisation=organisation):
        raise PermissionDenied(_("You do not administer this organisation."))
    return organisation


def _error_text(error) -> str:
    return " ".join(getattr(error, "messages", None) or [getattr(error, "message", str(error))])


@login_required
def organisation_coadmins(request, slug: str):
    """Co-admins manage who co-administers the organisation, and its logo."""
    organisation = _administered_organisation(request, slug)
    return render(
        request,
        "members/organisation_coadmins.html",
        {
            "organisation": organisation,
            "co_admins": organisation.co_admins.select_related("profile").order_by("pk"),
            "invitations": organisation.coadmin_invitations.filter(
                status=CoAdminInvitation.Status.PENDING
            ),
            "invite_form": InviteForm(organisation=organisation, viewer=request.user),
            "logo_form": LogoForm(),
        },
    )


@login_required
@require_POST
def coadmin_invite(request, slug: str):
    organisation = _administered_organisation(request, slug)
    form = InviteForm(request.POST, organisation=organisation, viewer=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("members:organisation_coadmins", slug=organisation.slug)
    member = None
    if form.cleaned_data.get("member"):
        member = get_object_or_404(
            MemberProfile.objects.select_related("user"), pk=form.cleaned_data["member"]
        )
    try:
        services.invite_coadmin(
            organisation=organisation,
            actor=request.user,
            email=form.cleaned_data.get("email") or "",
            member=member,
        )
    except (Conflict, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The invitation was sent."))
    return redirect("members:organisation_coadmins", slug=organisation.slug)


@login_required
@require_POST
def coadmin_remove(request, slug: str, member_id: int):
    organisation = _administered_organisation(request, slug)
    member = get_object_or_404(MemberProfile.objects.select_related("user"), pk=member_id)
    try:
        services.remove_coadmin(organisation=organisation, actor=request.user, user=member.user)
    except (Conflict, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("%(name)s is no longer a co-admin.") % {"name": member.name})
        if member.user_id == request.user.pk and not request.user.is_staff:
            return redirect(organisation.get_absolute_url())
    return redirect("members:organisation_coadmins", slug=organisation.slug)


@login_required
@require_POST
def invitation_withdraw(request, slug: str, pk: int):
    organisation = _administered_organisation(request, slug)
    invitation = get_object_or_404(CoAdminInvitation, pk=pk, organisation=organisation)
    services.withdraw_invitation(invitation=invitation, actor=request.user)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("members:organisation_coadmins", slug=organisation.slug)


@login_required
@require_POST
def organisation_logo(request, slug: str):
    organisation = _administered_organisation(request, slug)
    form = LogoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.set_organisation_logo(
                organisation=organisation, actor=request.user, upload=form.cleaned_data["logo"]
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The logo was saved."))
    else:
        messages.error(request, " ".join(form.errors.get("logo", [])))
    return redirect("members:organisation_coadmins", slug=organisation.slug)


@login_required
@require_POST
def organisation_claim(request, slug: str):
    organisation = _visible_organisation(request, slug)
    form = ClaimForm(request.POST)
    if form.is_valid():
        try:
            services.claim_organisation(
                requester=request.user,
                organisation=organisation,
                message=form.cleaned_data["message"],
            )
        except Conflict as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Your request was sent; the editors will check it and decide.")
            )
    return redirect(organisation.get_absolute_url())


@login_required
def organisation_request_new(request):
    """A member asks the editors to create their organisation's profile."""
    form = OrganisationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_organisation_creation(requester=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_form_errors(form, error)
        except Conflict as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Your request was sent; the editors will check it and decide.")
            )
            return redirect("members:my_organisations")
    return render(request, "members/organisation_request_new.html", {"form": form})


@login_required
def invitation_answer(request, token: str):
    """The invitee reads the invitation and accepts or declines it; others get a 404."""
    invitation = get_object_or_404(
        CoAdminInvitation.objects.select_related("organisation", "invited_by__profile"),
        token=token,
    )
    if not services.invitations_for(user=request.user).filter(pk=invitation.pk).exists():
        raise Http404
    if request.method == "POST":
        accept = request.POST.get("answer") == "accept"
        try:
            services.answer_invitation(invitation=invitation, user=request.user, accept=accept)
        except Conflict as error:
            messages.error(request, error.message)
        else:
            if accept:
                messages.success(
                    request,
                    _("You are now a co-admin of %(name)s.") % {"name": invitation.organisation},
                )
                return redirect(invitation.organisation.get_absolute_url())
            messages.success(request, _("You declined the invitation."))
        return redirect("members:my_organisations")
    return render(request, "members/invitation.html", {"invitation": invitation})
