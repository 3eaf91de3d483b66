"""Publishing or unpublishing a policy page changes the version in force: forget the
cached one (privacy.services.current_versions)."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from privacy.models import PrivacyPolicyPage, TermsPage


@receiver(page_published, dispatch_uid="privacy.versions_on_publish")
@receiver(page_unpublished, dispatch_uid="privacy.versions_on_unpublish")
def forget_policy_versions(sender, instance, **kwargs):
    if isinstance(instance, (TermsPage, PrivacyPolicyPage)):
        from privacy.services import forget_current_versions

        forget_current_versions()
