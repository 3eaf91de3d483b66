from wagtail.models import Site

from privacy.models import PrivacyPolicyPage, TermsPage


def make_policy(model=TermsPage, *, version=1, title=None, **fields):
    """A live policy page under the site's root page, published as an editor would (the
    publish signal forgets the cached version in force)."""
    parent = Site.objects.get(is_default_site=True).root_page
    existing = model.objects.child_of(parent).first()
    if existing is not None:
        existing.version = version
        existing.save_revision().publish()
        return model.objects.get(pk=existing.pk)
    slug = "terms" if model is TermsPage else "privacy"
    title = title or ("Club terms" if model is TermsPage else "Club privacy notice")
    page = model(title=title, slug=slug, version=version, live=False, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return model.objects.get(pk=page.pk)


def make_policies(version=1):
    return make_policy(TermsPage, version=version), make_policy(PrivacyPolicyPage, version=version)
