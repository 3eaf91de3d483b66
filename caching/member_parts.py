"""Small parts of a page that are each member's own, filled in as the page is served.

A forum page is the same for every member but for a few words: the unread count of each
thread, the member's notification badge, whether they watch the thread, the actions on
their own posts. Such a page is drawn once for the members' shared copy
(``pages.page_cache``) with a placeholder where each of those parts goes
(``{% member_part "forum.unread" thread.pk %}``), and ``MemberPartsMiddleware`` fills the
placeholders of every page it answers, from a copy or freshly drawn, for the member who
asked: each part's filler is called once per page with all of its placeholders, so a page
of fifty threads costs one query for their unread counts, not fifty.

A placeholder is an HTML comment holding a mark derived from the site's secret key, so no
text a member writes (a post, a bio, a website address) can stand for a part and have
another member's page fill it.
"""

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import cache

from django.conf import settings
from django.middleware.csrf import get_token

# A filler answers the HTML of each of its parts on one page for the requesting visitor, by
# the part's arguments; a part it leaves out shows nothing.
Filler = Callable[..., dict[tuple[str, ...], str]]

MEMBER_PARTS: dict[str, Filler] = {}
_ARGUMENT = re.compile(r"^[\w.-]*$")


def register_member_part(name: str, fill: Filler) -> None:
    """Fill the parts named ``name`` ("forum.unread") with ``fill(request, keys)``, where
    ``keys`` are the argument tuples of the page's placeholders of that name."""
    MEMBER_PARTS[name] = fill


@cache
def secret_mark(purpose: str) -> str:
    """A word that only this site writes into its pages: no visitor can type it."""
    digest = hashlib.sha256(f"cluster-club:{purpose}:{settings.SECRET_KEY}".encode())
    return f"club_{purpose}_{digest.hexdigest()[:20]}"


# Stands for the CSRF token in the forms of a page drawn for the members' shared copy
# (``pages.page_cache.deferred_csrf_token``): each member's own token replaces it as the
# page is served (``with_own_csrf_token``).
CSRF_PLACEHOLDER = secret_mark("csrf")


def with_own_csrf_token(request, response):
    """``response`` with the CSRF token of ``request``'s visitor in its forms."""
    if CSRF_PLACEHOLDER.encode() in response.content:
        response.content = response.content.replace(
            CSRF_PLACEHOLDER.encode(), get_token(request).encode()
        )
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
    return response


@cache
def _pattern() -> re.Pattern:
    return re.compile(rb"<!--" + secret_mark("part").encode() + rb":([\w.]+):([\w.:-]*)-->")


def placeholder(name: str, *arguments) -> str:
    """Where the part ``name`` with ``arguments`` (ids, slugs) goes in a page."""
    if name not in MEMBER_PARTS:
        raise ValueError(f"No member part is registered as {name!r}.")
    words = ["" if argument is None else str(argument) for argument in arguments]
    if not all(_ARGUMENT.match(word) for word in words):
        raise ValueError(f"Member part arguments are ids or slugs, not {words!r}.")
    return f"<!--{secret_mark('part')}:{name}:{':'.join(words)}-->"


def has_parts(content: bytes) -> bool:
    return secret_mark("part").encode() in content


# A part may hold parts of its own (a list of the member's conversations, each with its
# unread count), filled in the next round; a part cannot hold itself for ever.
FILL_ROUNDS = 3


def fill(request, content: bytes) -> bytes:
    """``content`` with each part's placeholder replaced by the requesting visitor's own."""
    for _round in range(FILL_ROUNDS):
        if not has_parts(content):
            break
        content = _fill_once(request, content)
    return content


def _fill_once(request, content: bytes) -> bytes:
    pattern = _pattern()
    wanted: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for name, arguments in pattern.findall(content):
        wanted[name.decode()].add(tuple(arguments.decode().split(":")))
    filled: dict[tuple[str, tuple[str, ...]], bytes] = {}
    for name, keys in wanted.items():
        filler = MEMBER_PARTS.get(name)
        answers = filler(request, sorted(keys)) if filler is not None else {}
        for key in keys:
            filled[name, key] = answers.get(key, "").encode()

    def part(match: re.Match) -> bytes:
        key = tuple(match.group(2).decode().split(":"))
        return filled.get((match.group(1).decode(), key), b"")

    return pattern.sub(part, content)


def int_arguments(keys: Sequence[tuple[str, ...]]) -> list[tuple[int, ...]]:
    """The placeholders' arguments as integers (ids), those that are not left out."""
    numbers = []
    for key in keys:
        try:
            numbers.append(tuple(int(word) for word in key))
        except ValueError:
            continue
    return numbers


class MemberPartsMiddleware:
    """Fills the member parts of the HTML pages it answers (module docstring).

    Sits after the middleware that signs members in and before ``MemberPageCacheMiddleware``,
    so that the members' shared copies keep their placeholders and anonymous copies
    (``AnonymousPageCacheMiddleware``, further out) are stored filled.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if not has_parts(response.content):
            return response
        response.content = fill(request, response.content)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        # A part's form carries the member's own token (the shared copy's placeholder).
        return with_own_csrf_token(request, response)
