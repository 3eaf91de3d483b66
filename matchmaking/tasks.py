"""Background work of matchmaking: the meeting e-mails and the reminders before meetings.

Tasks take ids and read the rows again when they run."""

from django_tasks import task

from matchmaking import emails


@task()
def send_meeting_email(*, meeting_id: int, member_id: int, kind: str) -> bool:
    """Send the ``kind`` e-mail (a key of ``emails.MAILS``) about a meeting to a member."""
    return emails.send_meeting_mail(meeting_id=meeting_id, member_id=member_id, kind=kind)


@task()
def send_meeting_reminders() -> int:
    """The periodic job: remind both sides of the meetings of the next minutes."""
    from matchmaking import services

    return services.send_meeting_reminders()
