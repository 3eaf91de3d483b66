"""Signals the members app sends; receivers hold no business rules.

``organisation_changed``: search re-indexes the organisation (search/receivers.py).
"""

from django.dispatch import Signal

#: Sent after commit when an organisation was created, changed or deleted (by a service,
#: the importer or the admin). Arguments: ``organisation`` (the instance; once deleted it
#: still carries its former ``pk``), ``deleted`` (bool). It may arrive more than once for
#: one change: receivers must be idempotent (re-index, do not count).
organisation_changed = Signal()
