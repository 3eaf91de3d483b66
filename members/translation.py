"""Fields of the members app that editors name in each language (see translating/)."""

from modeltranslation.translator import TranslationOptions, register

from members.models import Sector


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)
