"""Reads of the editorial pages that several places share."""

from __future__ import annotations

from django.utils import timezone

from pages.models import CallPage


def calls_in_order(*, locale_id: int | None = None, open_only: bool = False) -> list[CallPage]:
    """Live public calls in the order every list shows them: open calls first, soonest
    deadline first, then closed calls, the most recently closed first.

    The one rule behind the calls page, the home page's "Open calls" and their API fields.
    """
    now = timezone.now()
    calls = CallPage.objects.live().public()
    if locale_id is not None:
        calls = calls.filter(locale_id=locale_id)
    open_calls = list(calls.filter(deadline__gt=now).order_by("deadline", "pk"))
    if open_only:
        return open_calls
    return open_calls + list(calls.filter(deadline__lte=now).order_by("-deadline", "-pk"))
