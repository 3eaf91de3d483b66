"""Wagtail admin for the events: registrations (filters, status actions, CSV export), a
capacity overview of every event, and messages to an event's attendees.

Registrations are never edited, created or deleted as raw rows here: each status change
goes through events.services, which keeps the capacity and the waitlist right.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import CreateView, EditView, InstanceSpecificView

from admin_actions import ExtraActionsMixin, ReadOnlyPermissionHelper
from domain.exceptions import Conflict
from events import services
from events.models import AttendeeMessage, EventPage, GuestRegistration, Registration, TicketType
from events.signals import seats_changed

# status -> (button label, allowed from these statuses)
STATUS_ACTIONS = {
    Registration.Status.CONFIRMED: (gettext_lazy("Confirm"), {Registration.Status.WAITLISTED}),
    Registration.Status.ATTENDED: (gettext_lazy("Check in"), {Registration.Status.CONFIRMED}),
    Registration.Status.CANCELLED: (
        gettext_lazy("Cancel"),
        {Registration.Status.CONFIRMED, Registration.Status.WAITLISTED},
    ),
}


class RegistrationPermissionHelper(PermissionHelper):
    """Rows change only through the status actions (services), never as raw edits."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False

    def user_can_change_status(self, user):
        return self.user_has_specific_permission(user, "change")


class RegistrationButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if not self.permission_helper.user_can_change_status(self.request.user):
            return buttons
        for status, (label, allowed_from) in STATUS_ACTIONS.items():
            if obj.status in allowed_from:
                buttons.append(
                    {
                        "url": self.url_helper.get_action_url("status", obj.pk)
                        + f"?status={status}",
                        "label": str(label),
                        "classname": "button button-small button-secondary",
                        "title": str(label),
                    }
                )
        return buttons


class RegistrationStatusView(InstanceSpecificView):
    """Asks for confirmation (GET), then changes the status through the services (POST)."""

    template_name = "events/admin/set_status.html"

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_change_status(user)

    def dispatch(self, request, *args, **kwargs):
        if not self.check_action_permitted(request.user):
            raise PermissionDenied
        status = request.POST.get("status") or request.GET.get("status")
        if status not in STATUS_ACTIONS:
            messages.error(request, _("Choose a status: confirmed, attended or cancelled."))
            return redirect(self.index_url)
        if request.method == "POST":
            try:
                services.set_status(registration=self.instance, status=status)
            except (Conflict, ValidationError) as error:
                messages.error(request, getattr(error, "message", None) or " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("%(registration)s is now %(status)s.")
                    % {
                        "registration": self.instance.member,
                        "status": Registration.Status(status).label.lower(),
                    },
                )
            return redirect(self.index_url)
        return TemplateResponse(
            request,
            self.template_name,
            self.get_context_data(status=status, action_label=STATUS_ACTIONS[status][0]),
        )

    def get_page_title(self):
        return _("Change the status of a registration")


class RegistrationAdmin(ExtraActionsMixin, ModelAdmin):
    extra_actions = ("status",)
    model = Registration
    menu_label = gettext_lazy("Registrations")
    menu_icon = "list-ul"
    list_display = (
        "member",
        "event",
        "ticket_type",
        "status",
        "position",
        "ticket_code",
        "created",
    )
    list_filter = ("status", "event", "ticket_type")
    search_fields = ("ticket_code", "member__display_name", "member__user__email")
    list_export = (
        "event",
        "member",
        "member_email",
        "ticket_type",
        "status",
        "position",
        "ticket_code",
        "created",
        "checked_in_at",
        "answers",
    )
    export_filename = "registrations"
    inspect_view_enabled = True
    inspect_view_fields = (
        "event",
        "member",
        "ticket_type",
        "status",
        "position",
        "ticket_code",
        "answers",
        "created",
        "checked_in_at",
    )
    permission_helper_class = RegistrationPermissionHelper
    button_helper_class = RegistrationButtonHelper

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "member__user")

    @staticmethod
    def member_email(obj):
        return obj.member.user.email

    member_email.short_description = gettext_lazy("e-mail")

    def status_view(self, request, instance_pk):
        return RegistrationStatusView.as_view(model_admin=self, instance_pk=instance_pk)(request)


class EventCapacityAdmin(ModelAdmin):
    """Every event with its seats: capacity, confirmed, waitlisted, left; upcoming first."""

    model = EventPage
    menu_label = gettext_lazy("Capacity overview")
    menu_icon = "date"
    list_display = (
        "title",
        "starts",
        "capacity",
        "confirmed",
        "waitlisted",
        "seats_left_display",
        "attendee_list",
    )
    list_filter = ("kind", "live")
    search_fields = ("title", "city")
    list_export = ("title", "starts", "city", "capacity", "confirmed", "waitlisted", "seats_left")
    export_filename = "event-capacity"

    def get_queryset(self, request):
        return EventPage.objects.with_seat_counts().upcoming_first(now=timezone.now())

    @staticmethod
    def starts(obj):
        return obj.local_start.strftime("%Y-%m-%d %H:%M %Z")

    starts.short_description = gettext_lazy("starts (local time)")

    @staticmethod
    def confirmed(obj):
        return obj.seats_taken

    confirmed.short_description = gettext_lazy("confirmed")

    @staticmethod
    def waitlisted(obj):
        return obj.waitlisted_count

    waitlisted.short_description = gettext_lazy("waitlisted")

    @staticmethod
    def seats_left_display(obj):
        return _("unlimited") if obj.seats_left is None else obj.seats_left

    seats_left_display.short_description = gettext_lazy("seats left")

    @staticmethod
    def attendee_list(obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("events:attendees-csv", args=[obj.pk]), _("CSV")
        )

    attendee_list.short_description = gettext_lazy("attendees")


class TicketTypeSaveMixin:
    """A capacity refused under the seat lock (``TicketType.save``) is a form error; seats
    that a larger capacity frees go to the ticket type's waitlist at once."""

    def form_valid(self, form):
        try:
            response = super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        services.fill_from_waitlist(event=self.instance.event)
        seats_changed.send(sender=TicketType, event=self.instance.event)
        return response


class TicketTypeCreateView(TicketTypeSaveMixin, CreateView):
    pass


class TicketTypeEditView(TicketTypeSaveMixin, EditView):
    pass


class TicketTypeAdmin(ModelAdmin):
    """An event's ticket types: who may take each, its seats and its own questions.

    A capacity below the seats a ticket type already holds is refused; a ticket type that
    has registrations cannot be deleted (cancel them first).
    """

    model = TicketType
    menu_label = gettext_lazy("Ticket types")
    menu_icon = "tag"
    list_display = ("name", "event", "kind", "capacity", "seats_left_display")
    list_filter = ("kind", "event")
    search_fields = ("name", "event__title")
    edit_view_class = TicketTypeEditView
    create_view_class = TicketTypeCreateView

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event")

    @staticmethod
    def seats_left_display(obj):
        left = obj.seats_left()
        return _("up to the event's capacity") if left is None else left

    seats_left_display.short_description = gettext_lazy("seats left")


class GuestRegistrationAdmin(ModelAdmin):
    """Guests (no account) of events, with their answers; CSV export for the organisers."""

    model = GuestRegistration
    menu_label = gettext_lazy("Guests")
    menu_icon = "user"
    list_display = ("name", "email", "organisation", "event", "ticket_type", "status", "created")
    list_filter = ("status", "event")
    search_fields = ("name", "email", "organisation")
    list_export = (
        "event",
        "name",
        "email",
        "organisation",
        "ticket_type",
        "status",
        "language",
        "created",
        "confirmed_at",
        "answers",
    )
    export_filename = "guests"
    inspect_view_enabled = True
    inspect_view_fields = list_export
    # Guests' rows change only through their own links (events.guests), never as raw edits.
    permission_helper_class = ReadOnlyPermissionHelper

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "ticket_type")


class AttendeeMessagePermissionHelper(PermissionHelper):
    """A message that went out is a record: it is read, never edited or deleted."""

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class SendAttendeeMessageView(CreateView):
    """Writes the message through ``events.services.send_message_to_attendees`` (the record
    and one mail per recipient, in one transaction) instead of saving the form's row."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        event = self.request.GET.get("event", "")
        if event.isdigit() and len(event) < 19:
            kwargs["initial"] = {**kwargs.get("initial", {}), "event": int(event)}
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            message = services.send_message_to_attendees(
                event=data["event"],
                audience=data["audience"],
                subject=data["subject"],
                body=data["body"],
                sender=self.request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "The message is on its way to %(count)d recipient.",
                "The message is on its way to %(count)d recipients.",
                message.recipient_count,
            )
            % {"count": message.recipient_count},
        )
        return redirect(self.index_url)


class AttendeeMessageAdmin(ModelAdmin):
    """Messages to an event's confirmed attendees or waitlist: write one, read what went
    out (who sent it, when, to how many, the text)."""

    model = AttendeeMessage
    menu_label = gettext_lazy("Messages to attendees")
    menu_icon = "mail"
    list_display = ("subject", "event", "audience", "recipient_count", "sent_by", "sent_at")
    list_filter = ("audience", "event")
    search_fields = ("subject", "body")
    inspect_view_enabled = True
    inspect_view_fields = (
        "event",
        "audience",
        "subject",
        "body",
        "sent_by",
        "sent_at",
        "recipient_count",
    )
    permission_helper_class = AttendeeMessagePermissionHelper
    create_view_class = SendAttendeeMessageView
    panels = [
        FieldPanel("event"),
        FieldPanel("audience"),
        FieldPanel("subject"),
        FieldPanel("body"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "sent_by")


class EventsGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Event registrations")
    menu_icon = "date"
    menu_order = 250
    items = (
        RegistrationAdmin,
        GuestRegistrationAdmin,
        TicketTypeAdmin,
        EventCapacityAdmin,
        AttendeeMessageAdmin,
    )


modeladmin_register(EventsGroup)


@hooks.register("register_page_header_buttons")
def event_desk_buttons(page, user, view_name, next_url=None):
    """An event's admin page leads to writing to its attendees and to its check-in desk."""
    from wagtail.admin.widgets import Button

    if page.specific_class is not EventPage:
        return
    event_pk = page.specific.canonical.pk
    if user.has_perm("events.add_attendeemessage"):
        yield Button(
            _("Message attendees"),
            reverse("events_attendeemessage_modeladmin_create") + f"?event={event_pk}",
            icon_name="mail",
            priority=70,
        )
    if user.has_perm("events.change_registration"):
        yield Button(
            _("Check-in desk"),
            reverse("events:check-in-desk", args=[event_pk]),
            icon_name="tick",
            priority=75,
        )
