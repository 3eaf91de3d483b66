"""Applications sent to calls before calls kept their own submission model were stored as
Wagtail's plain form submissions: they become call applications (pending, no applicant
known), so the admin's submissions panel and Call applications still show them."""

from django.db import migrations


def forward(apps, schema_editor):
    FormSubmission = apps.get_model("wagtailforms", "FormSubmission")
    CallApplication = apps.get_model("club", "CallApplication")
    CallPage = apps.get_model("club", "CallPage")
    call_ids = list(CallPage.objects.values_list("pk", flat=True))
    for submission in FormSubmission.objects.filter(page_id__in=call_ids).order_by("pk"):
        application = CallApplication.objects.create(
            page_id=submission.page_id, form_data=submission.form_data
        )
        # submit_time is set on creation; keep the original moment.
        CallApplication.objects.filter(pk=application.pk).update(
            submit_time=submission.submit_time
        )
        submission.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("club", "0005_editors_decide_call_applications"),
        ("wagtailforms", "0005_alter_formsubmission_form_data"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
