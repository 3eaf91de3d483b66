"""Turns Wagtail's page signals into the events app's own ``event_changed`` (for search),
and fills freed seats when an editor publishes a larger capacity."""

import copy

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from events.models import EventPage
from events.signals import event_changed


def _announce(event, *, deleted: bool) -> None:
    transaction.on_commit(
        lambda: event_changed.send(sender=EventPage, event=event, deleted=deleted)
    )


@receiver(page_published, sender=EventPage, dispatch_uid="events.published")
def event_published(sender, instance, **kwargs):
    from events.services import fill_from_waitlist

    fill_from_waitlist(event=instance)
    _announce(instance, deleted=False)


@receiver(page_unpublished, sender=EventPage, dispatch_uid="events.unpublished")
def event_unpublished(sender, instance, **kwargs):
    _announce(instance, deleted=False)


@receiver(post_delete, sender=EventPage, dispatch_uid="events.deleted")
def event_deleted(sender, instance, **kwargs):
    # Django clears the instance's pk once the deletion is done; receivers need it.
    _announce(copy.copy(instance), deleted=True)
