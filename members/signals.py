"""Signals the members app sends; other apps (search, notifications) listen.

Receivers hold no business rules.
"""

from django.dispatch import Signal

#: Sent after commit when an organisation was created, changed or deleted (by a service,
#: the importer or the admin). Arguments: ``organisation`` (the instance; once deleted it
#: still carries its former ``pk``), ``deleted`` (bool). It may arrive more than once for
#: one change: receivers must be idempotent (re-index, do not count).
organisation_changed = Signal()

#: Sent after commit when a member profile was created, changed or deleted (its
#: visibility or approved organisations may have changed). Arguments: ``profile``,
#: ``deleted`` (bool); the same rules as ``organisation_changed`` apply.
profile_changed = Signal()
