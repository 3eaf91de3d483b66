"""Signals the forum sends after a change is committed; the search app listens to index.

Receivers hold no business rules and must not raise: they run after the commit, when the
change can no longer be undone.
"""

from django.dispatch import Signal

#: Sent after commit when a thread was created or changed (title, tags, category, lock,
#: pin, reply count). Arguments: ``thread`` (the instance), ``deleted`` (bool).
thread_changed = Signal()

#: Sent after commit when a post was created, edited, hidden, shown again or soft-deleted
#: (``post.is_shown`` says whether readers see it). Arguments: ``post``, ``deleted`` (bool,
#: true once the post is soft-deleted).
post_changed = Signal()
