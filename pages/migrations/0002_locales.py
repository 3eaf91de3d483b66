"""The content locales exist from the start: English (the default, made by Wagtail's own
migrations from LANGUAGE_CODE), German, French and Spanish."""

from django.db import migrations

OTHER_LANGUAGES = ["de", "fr", "es"]


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="en")
    for code in OTHER_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def remove_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    for code in OTHER_LANGUAGES:
        locale = Locale.objects.filter(language_code=code).first()
        if locale and not Page.objects.filter(locale=locale).exists():
            locale.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("club", "0001_initial"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [migrations.RunPython(create_locales, remove_locales)]
