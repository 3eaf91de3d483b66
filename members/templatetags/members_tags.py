"""Template filters for how members and organisations are pictured."""

from django import template

register = template.Library()

# Words that make poor initials ("Cluster of Excellence" is "CE", not "CO").
_SMALL_WORDS = {
    "of",
    "the",
    "and",
    "for",
    "de",
    "der",
    "die",
    "das",
    "und",
    "la",
    "le",
    "les",
    "des",
    "du",
    "et",
    "el",
    "los",
    "las",
    "y",
    "del",
    "für",
    "&",
}


@register.filter
def initials(name) -> str:
    """Up to two capital letters from a name: "Ana Ruiz" -> "AR", "Cluster of Excellence
    Lyon" -> "CE"; the name's first letter when it has only one word."""
    words = [word for word in str(name or "").split() if word[:1].isalnum()]
    significant = [word for word in words if word.lower() not in _SMALL_WORDS] or words
    return "".join(word[0] for word in significant[:2]).upper()
