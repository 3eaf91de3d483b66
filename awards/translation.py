"""What editors name in an award cycle, in each language of the site (see translating/)."""

from modeltranslation.translator import TranslationOptions, register

from awards.models import AwardCategory, AwardCycle, Criterion


@register(AwardCycle)
class AwardCycleTranslation(TranslationOptions):
    fields = ("title", "laureate_title", "description")
    required_languages = {"en": ("title", "laureate_title")}


@register(AwardCategory)
class AwardCategoryTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}
