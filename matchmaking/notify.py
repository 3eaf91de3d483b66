"""Telling participants about their meetings: an e-mail task enqueued in the change's
transaction, and a message on the notifications socket (``ws/notifications/``) of both
sides once it has committed.

The socket message carries ids only ({"type": "meeting", "meeting", "event", "status"});
each client reads the meeting again through the API, where it is checked that the reader
takes part in it. The group name is the forum's ``user_group``: matchmaking sits above
the forum in the layers, so it uses the forum's realtime module directly.
"""

from forum import realtime
from taskqueue.tasks import enqueue


def meeting_changed(meeting, *, tell, kind: str) -> None:
    """Enqueue the ``kind`` e-mail to ``tell`` and, after commit, update both agendas."""
    from matchmaking import tasks

    enqueue(tasks.send_meeting_email, meeting_id=meeting.pk, member_id=tell.pk, kind=kind)
    realtime.broadcast_on_commit(
        [
            (
                realtime.user_group(user_id),
                {
                    "type": "matchmaking.meeting",
                    "meeting_id": meeting.pk,
                    "event_id": meeting.matchmaking.event_id,
                    "status": meeting.status,
                },
            )
            for user_id in (meeting.requester.user_id, meeting.recipient.user_id)
        ]
    )


def remind(meeting) -> None:
    from matchmaking import tasks

    for member in (meeting.requester, meeting.recipient):
        enqueue(
            tasks.send_meeting_email, meeting_id=meeting.pk, member_id=member.pk, kind="reminder"
        )
