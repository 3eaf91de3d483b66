"""Background work of the forum: telling a thread's watchers of a reply.

Tasks take ids and read the rows again when they run: the post may have been removed
meanwhile (then nobody is told).
"""

from django_tasks import task


@task()
def notify_watchers_of_reply(*, post_id: int) -> int:
    from forum import services

    return services.notify_watchers_of_reply(post_id=post_id)
