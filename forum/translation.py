"""Fields of the forum that staff name in each language (see translating/)."""

from modeltranslation.translator import TranslationOptions, register

from forum.models import Category


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}
