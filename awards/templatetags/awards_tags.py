"""``{% load awards_tags %}``: the award titles a member profile or an organisation page
shows ("European Cluster Manager of the Year 2027")."""

from django import template

register = template.Library()


@register.inclusion_tag("awards/_titles.html")
def award_titles(*, member=None, organisation=None):
    from awards.models import Laureate

    if member is not None:
        laureates = Laureate.objects.filter(member=member)
    elif organisation is not None:
        laureates = Laureate.objects.filter(organisation=organisation)
    else:
        laureates = Laureate.objects.none()
    return {"laureates": list(laureates)}
