"""Signals the members app sends; other apps (search, notifications) listen.

Receivers hold no business rules.
"""

from django.dispatch import Signal

#: Sent after commit when an organisation was created, changed or deleted.
#: Arguments: ``organisation`` (the instance), ``deleted`` (bool).
organisation_changed = Signal()

#: Sent after commit when a member profile was created, changed or deleted (its
#: visibility may have changed). Arguments: ``profile``, ``deleted`` (bool).
profile_changed = Signal()
