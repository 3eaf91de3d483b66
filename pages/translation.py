"""Fields of the editorial app that editors name in each language (see translating/).
Pages themselves are translated as whole pages (Wagtail's locales and simple_translation)."""

from modeltranslation.translator import TranslationOptions, register

from pages.models import ClubSettings, FooterLink, MenuItem, SuccessorEntity


@register(ClubSettings)
class ClubSettingsTranslation(TranslationOptions):
    fields = ("address",)


@register(SuccessorEntity)
class SuccessorEntityTranslation(TranslationOptions):
    fields = ("role",)


@register(MenuItem)
class MenuItemTranslation(TranslationOptions):
    fields = ("label",)
    required_languages = ("en",)


@register(FooterLink)
class FooterLinkTranslation(TranslationOptions):
    fields = ("label",)
    required_languages = ("en",)
