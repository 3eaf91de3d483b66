"""Signal receivers that keep the search index current; no business rules here.

Organisations are indexed from their own rows and from everything shown in their search
entry: sectors, technologies, value chains and quality labels. Member profiles and forum
threads are not copied into an index (they are read with their visibility rules at query
time). Pages and events live in Wagtail's own search index: its signal handlers keep
pages current, and an event is also pushed there when the events app announces a change
(after commit, whatever task backend Wagtail runs its indexing on).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.search import index as wagtail_index

from events.signals import event_changed
from members.models import (
    Organisation,
    QualityLabel,
    Sector,
    TaggedOrganisationTechnology,
    TaggedOrganisationValueChain,
)
from members.signals import organisation_changed
from search.sync import schedule_many, schedule_organisation


@receiver(organisation_changed, dispatch_uid="search.organisation_changed")
def organisation_announced(sender, organisation, deleted=False, **kwargs):
    schedule_organisation(organisation.pk)


@receiver(post_save, sender=Organisation, dispatch_uid="search.organisation_saved")
@receiver(post_delete, sender=Organisation, dispatch_uid="search.organisation_deleted")
def organisation_saved_or_deleted(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule_organisation(instance.pk)


@receiver(post_save, sender=QualityLabel, dispatch_uid="search.label_saved")
@receiver(post_delete, sender=QualityLabel, dispatch_uid="search.label_deleted")
@receiver(post_save, sender=TaggedOrganisationTechnology, dispatch_uid="search.tech_saved")
@receiver(post_delete, sender=TaggedOrganisationTechnology, dispatch_uid="search.tech_deleted")
@receiver(post_save, sender=TaggedOrganisationValueChain, dispatch_uid="search.chain_saved")
@receiver(post_delete, sender=TaggedOrganisationValueChain, dispatch_uid="search.chain_deleted")
def organisation_part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        pk = getattr(instance, "organisation_id", None) or getattr(
            instance, "content_object_id", None
        )
        schedule_organisation(pk)


@receiver(m2m_changed, sender=Organisation.sectors.through, dispatch_uid="search.sectors")
def organisation_sectors_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        schedule_organisation(instance.pk)
        return
    # Changed from the sector's side: every organisation added or removed changed.
    pks = pk_set if pk_set is not None else []
    for pk in pks:
        schedule_organisation(pk)


@receiver(post_save, sender=Sector, dispatch_uid="search.sector_renamed")
@receiver(pre_delete, sender=Sector, dispatch_uid="search.sector_deleted")
def sector_changed(sender, instance, created=False, raw=False, **kwargs):
    if created or raw:
        return
    schedule_many(instance.organisations.values_list("pk", flat=True))


@receiver(post_save, sender=Tag, dispatch_uid="search.tag_renamed")
def tag_renamed(sender, instance, created=False, raw=False, **kwargs):
    if created or raw:
        return
    schedule_many(
        TaggedOrganisationTechnology.objects.filter(tag=instance).values_list(
            "content_object_id", flat=True
        )
    )


@receiver(event_changed, dispatch_uid="search.event_changed")
def event_announced(sender, event, deleted=False, **kwargs):
    if deleted:
        wagtail_index.remove_object(event)
    else:
        wagtail_index.insert_or_update_object(event)
