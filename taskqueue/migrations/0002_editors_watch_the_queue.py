"""Editors (the Wagtail group) watch the task queue and retry failed work: a registration
e-mail that failed while the mail server was down is theirs to send again, not a
developer's."""

from django.db import migrations

PERMISSIONS = {
    "django_tasks_database": ["view_dbtaskresult", "change_dbtaskresult"],
    "core": ["view_taskworker", "view_periodicrun"],
}


def _ensure_permissions(apps):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure they exist now.
    for label in PERMISSIONS:
        app_config = apps.get_app_config(label)
        # The migration state's app config is a stub; create_permissions only checks this flag.
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = previous or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = previous


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.none()
    for label, codenames in PERMISSIONS.items():
        found |= Permission.objects.filter(
            content_type__app_label=label, codename__in=codenames
        )
    return found


def grant(apps, schema_editor):
    _ensure_permissions(apps)
    editors = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    editors = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_task_queue"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
