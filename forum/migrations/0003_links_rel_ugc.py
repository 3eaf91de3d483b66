"""Posts stored before links carried rel="ugc nofollow noopener" get it now: their HTML
is sanitised again, which rewrites every link's rel and changes nothing else."""

from django.db import migrations

from forum.rendering import sanitise_html

BATCH = 500


def resanitise(apps, schema_editor):
    Post = apps.get_model("forum", "Post")
    posts = Post.objects.filter(body_html__contains="<a ").only("pk", "body_html").order_by("pk")
    last = 0
    while batch := list(posts.filter(pk__gt=last)[:BATCH]):
        for post in batch:
            cleaned = sanitise_html(post.body_html)
            if cleaned != post.body_html:
                Post.objects.filter(pk=post.pk).update(body_html=cleaned)
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("forum", "0002_moderators_group")]

    operations = [migrations.RunPython(resanitise, migrations.RunPython.noop)]
