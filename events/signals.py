"""Signals the events app sends; the search app (indexing) and notifications listen.

Both are sent after the transaction that made the change has committed, so a receiver
never sees a row that was rolled back. Receivers hold no business rules.
"""

from django.dispatch import Signal

#: Sent after commit when an event page was published, unpublished, changed or deleted.
#: Arguments: ``event`` (the EventPage; for a deletion the instance as it was),
#: ``deleted`` (bool).
event_changed = Signal()

#: Sent after commit when a registration was created or changed status (registered,
#: waitlisted, promoted, cancelled, checked in). Arguments: ``registration``,
#: ``previous_status`` (str, or None for a new registration).
registration_changed = Signal()

#: Sent after commit when an event's seats changed other than through a member's
#: registration: a guest confirmed or cancelled a seat, or a ticket type was saved.
#: Arguments: ``event`` (the EventPage that holds the seats).
seats_changed = Signal()
