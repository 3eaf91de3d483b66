"""HTML pages of partner requests: the listing with facets, a request (its matches and
interests for its administrators, the interest form for the others), the forms that write
and edit one, the member's saved searches and e-mail preferences, and the one-click
unsubscribe. Views parse input and call partnering/services.py.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_countries import countries

from domain.exceptions import Conflict, RateLimited
from forum.permissions import display_name, is_active_member, is_moderator
from members.models import Organisation, Sector
from pages.models import CallPage
from partnering import selectors, services
from partnering.models import Frequency, Interest, PartnerMatch, PartnerRequest, SavedSearch

FACET_TITLES = {
    "country": gettext_lazy("Country"),
    "sector": gettext_lazy("Sector"),
    "technology": gettext_lazy("Technology"),
    "kind": gettext_lazy("What is sought"),
}
ERRORS = (ValidationError, PermissionDenied, Conflict, RateLimited)


def _apply_error(form, error) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)
    else:
        form.add_error(None, getattr(error, "message", None) or str(error) or _("Not allowed."))


def _message_of(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return getattr(error, "message", None) or str(error) or _("Not allowed.")


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What is sought"), choices=PartnerRequest.Kind.choices
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=services.TITLE_MAX)
    description = forms.CharField(
        label=gettext_lazy("Description (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=services.DESCRIPTION_MAX,
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("For"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("Myself"),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Sectors sought"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    technologies = forms.CharField(
        label=gettext_lazy("Technologies sought"),
        required=False,
        help_text=gettext_lazy("Separate technologies with commas."),
    )
    countries = forms.MultipleChoiceField(
        label=gettext_lazy("Countries sought"),
        choices=list(countries),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=gettext_lazy("None chosen: anywhere."),
    )
    call = forms.ModelChoiceField(
        label=gettext_lazy("Call of this site"), queryset=CallPage.objects.none(), required=False
    )
    funding_reference = forms.CharField(
        label=gettext_lazy("Or another funding programme or call"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For example a Horizon Europe topic identifier."),
    )
    deadline = forms.DateField(
        label=gettext_lazy("Deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(co_admins=user)
        self.fields["call"].queryset = CallPage.objects.live().public().order_by("-deadline")
        if editing:
            del self.fields["organisation"]

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "description": data["description"],
            "sectors": [sector.slug for sector in data["sectors"]],
            "technologies": [t for t in data["technologies"].split(",") if t.strip()],
            "countries": data["countries"],
            "call": data["call"],
            "funding_reference": data["funding_reference"],
            "deadline": data["deadline"],
        }


class InterestForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Your message (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=services.MESSAGE_MAX,
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("On behalf of"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("Myself"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(co_admins=user)


class PreferencesForm(forms.Form):
    partner_requests = forms.ChoiceField(
        label=gettext_lazy("Requests that fit my organisations"), choices=Frequency.choices
    )
    saved_searches = forms.ChoiceField(
        label=gettext_lazy("New requests matching my saved searches"), choices=Frequency.choices
    )


def _facet_groups(facets: dict, params) -> list[dict]:
    return [
        {
            "name": facet,
            "title": FACET_TITLES[facet],
            "values": [
                {**value, "checked": value["value"] in params.filters.get(facet, ())}
                for value in facets[facet]
            ],
        }
        for facet in selectors.FACETS
    ]


def _without_page(params) -> str:
    """The listing's query without its page number, for the paging links."""
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


def request_list(request):
    """Published requests with facet checkboxes, words to search, and paging."""
    try:
        params = selectors.parse_request_params(request.GET)
    except ValidationError as error:
        return render(
            request, "partnering/request_list.html", {"errors": error.message_dict}, status=400
        )
    found = selectors.filter_requests(selectors.listed_requests(request.user), params)
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "partnering/request_list.html",
        {
            "page": page,
            "q": params.text,
            "facets": _facet_groups(selectors.facet_counts(request.user, params), params),
            "querystring": request.GET.urlencode(),
            "paging_query": _without_page(request.GET),
            "signed_in": is_active_member(request.user),
        },
    )


@login_required
def my_requests(request):
    """The member's own requests and those of their organisations, drafts included."""
    items = (
        PartnerRequest.objects.administered_by(request.user)
        .select_related("organisation")
        .order_by("-created")
    )
    interests = (
        Interest.objects.filter(member=request.user).select_related("request").order_by("-created")
    )
    return render(request, "partnering/my_requests.html", {"items": items, "interests": interests})


@login_required
def request_new(request):
    form = RequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_request(
                author=request.user,
                organisation=form.cleaned_data["organisation"],
                publish=request.POST.get("publish") == "1",
                **form.service_values(),
            )
        except ERRORS as error:
            _apply_error(form, error)
        else:
            messages.success(
                request,
                _("Your request is published.") if item.is_open else _("Your draft is saved."),
            )
            return redirect(item)
    return render(request, "partnering/request_form.html", {"form": form})


def _visible(request, pk) -> PartnerRequest:
    return get_object_or_404(
        PartnerRequest.objects.visible_to(request.user).select_related(
            "organisation", "author__profile", "call"
        ),
        pk=pk,
    )


def request_detail(request, pk):
    item = _visible(request, pk)
    administrator = services.may_administer(request.user, item)
    context = {
        "item": item,
        "author_name": display_name(item.author, request.user),
        "administrator": administrator,
        "moderator": is_moderator(request.user),
        "countries": selectors.country_names(item.country_codes()).values(),
    }
    if administrator:
        context["matches"] = (
            PartnerMatch.objects.filter(request=item, organisation__is_published=True)
            .select_related("organisation")
            .order_by("rank")
        )
        context["interests"] = list(
            item.interests.select_related("member__profile", "organisation", "conversation")
        )
        for interest in context["interests"]:
            interest.member_name = display_name(interest.member, request.user)
    elif is_active_member(request.user):
        context["own_interest"] = item.interests.filter(member=request.user).first()
        if item.is_open and context["own_interest"] is None:
            context["interest_form"] = InterestForm(user=request.user)
    return render(request, "partnering/request_detail.html", context)


@login_required
def request_edit(request, pk):
    item = _visible(request, pk)
    if not services.may_administer(request.user, item):
        raise PermissionDenied
    initial = {
        "kind": item.kind,
        "title": item.title,
        "description": item.description,
        "sectors": list(item.sectors.all()),
        "technologies": ", ".join(t.name for t in item.technologies.all()),
        "countries": item.country_codes(),
        "call": item.call,
        "funding_reference": item.funding_reference,
        "deadline": item.deadline,
    }
    form = RequestForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_request(
                partner_request=item, actor=request.user, **form.service_values()
            )
        except ERRORS as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The request is saved."))
            return redirect(item)
    return render(request, "partnering/request_form.html", {"form": form, "item": item})


@login_required
@require_POST
def request_action(request, pk):
    """Publish, close (with the partners ticked), withdraw, and for moderators hide."""
    item = _visible(request, pk)
    action = request.POST.get("action", "")
    try:
        if action == "publish":
            services.publish_request(partner_request=item, actor=request.user)
            messages.success(request, _("Your request is published."))
        elif action == "close":
            partners = [int(v) for v in request.POST.getlist("partners") if v.isdigit()]
            services.close_request(
                partner_request=item,
                actor=request.user,
                partners=partners,
                show=request.POST.get("show") == "1",
            )
            messages.success(request, _("The request is closed."))
        elif action == "delete":
            if services.delete_request(partner_request=item, actor=request.user):
                messages.success(request, _("The draft is deleted."))
                return redirect("partnering:mine")
            messages.success(request, _("The request is withdrawn."))
        elif action in {"hide", "unhide"}:
            services.hide_request(
                partner_request=item, moderator=request.user, hidden=action == "hide"
            )
        else:
            messages.error(request, _("Unknown action."))
    except ERRORS as error:
        messages.error(request, _message_of(error))
    return redirect(item)


@login_required
@require_POST
def express_interest(request, pk):
    item = _visible(request, pk)
    form = InterestForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            interest = services.express_interest(
                partner_request=item,
                member=request.user,
                message=form.cleaned_data["message"],
                organisation=form.cleaned_data["organisation"],
            )
        except ERRORS as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Your interest is sent; continue the conversation here."))
            return redirect(interest.conversation)
    return render(
        request,
        "partnering/request_detail.html",
        {
            "item": item,
            "author_name": display_name(item.author, request.user),
            "interest_form": form,
            "countries": selectors.country_names(item.country_codes()).values(),
        },
        status=400,
    )


@login_required
@require_POST
def interest_action(request, pk):
    """Shortlist, decline or set back an interest (the request's administrators); show a
    partnership or stop showing it (either side)."""
    interest = get_object_or_404(
        Interest.objects.select_related("request__organisation", "organisation"), pk=pk
    )
    if not services.may_see_interest(request.user, interest):
        raise Http404
    action = request.POST.get("action", "")
    try:
        if action in {"shortlisted", "declined", "pending"}:
            services.set_interest_status(interest=interest, actor=request.user, status=action)
        elif action in {"show", "hide"}:
            services.show_partnership(interest=interest, actor=request.user, shown=action == "show")
        else:
            messages.error(request, _("Unknown action."))
    except ERRORS as error:
        messages.error(request, _message_of(error))
    return redirect(interest.request)


@login_required
def saved_searches(request):
    """The member's saved searches; POST saves the search of the listing's query string,
    or deletes one."""
    if request.method == "POST":
        if request.POST.get("delete"):
            saved = get_object_or_404(
                SavedSearch.objects.filter(user=request.user),
                pk=request.POST["delete"] if request.POST["delete"].isdigit() else 0,
            )
            services.delete_saved_search(saved_search=saved, user=request.user)
            messages.success(request, _("The search is deleted."))
            return redirect("partnering:saved-searches")
        from django.http import QueryDict

        query = QueryDict(request.POST.get("query", ""))
        try:
            params = selectors.parse_request_params(query)
            services.save_search(
                user=request.user,
                name=request.POST.get("name") or params.text or _("My search"),
                params=params.as_dict(),
            )
        except ERRORS as error:
            messages.error(request, _message_of(error))
        else:
            messages.success(
                request, _("Search saved: you will hear of new requests that match it.")
            )
        return redirect("partnering:saved-searches")
    searches = SavedSearch.objects.filter(user=request.user)
    return render(request, "partnering/saved_searches.html", {"searches": searches})


@login_required
def preferences(request):
    current = services.preferences_of(request.user)
    form = PreferencesForm(
        request.POST or None,
        initial={
            "partner_requests": current.partner_requests,
            "saved_searches": current.saved_searches,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.update_preferences(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("partnering:preferences")
    return render(request, "partnering/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058: mail clients POST here, without a session or a form of ours
def unsubscribe(request, token):
    """GET asks to confirm (a link scanner must not unsubscribe anyone); POST, from the
    page or a mail client's one-click button, stops the e-mails the token names."""
    if request.method == "POST":
        try:
            services.unsubscribe(token=token)
        except ValidationError:
            return render(request, "partnering/unsubscribe.html", {"invalid": True}, status=400)
        return render(request, "partnering/unsubscribe.html", {"done": True})
    from django.core import signing

    try:
        signing.loads(token, salt=services.UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return render(request, "partnering/unsubscribe.html", {"invalid": True}, status=400)
    return render(request, "partnering/unsubscribe.html", {"token": token})
