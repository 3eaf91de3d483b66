"""Who may do what in the forum; the one place the rules live.

Everyone reads public categories; members-only categories need an active signed-in
account. Moderators are staff or members of the "Moderators" group.
"""

from django.utils.translation import gettext as _

from members.models import MemberProfile
from members.profile_privacy import visible_fields

MODERATORS_GROUP = "Moderators"


def is_active_member(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def may_read_members_only(user) -> bool:
    return is_active_member(user)


def is_moderator(user) -> bool:
    if not is_active_member(user):
        return False
    if user.is_staff or user.is_superuser:
        return True
    cached = getattr(user, "_forum_is_moderator", None)
    if cached is None:
        cached = user.groups.filter(name=MODERATORS_GROUP).exists()
        user._forum_is_moderator = cached
    return cached


def may_read_category(user, category) -> bool:
    if category.is_private:
        return False
    return category.is_public or may_read_members_only(user)


def may_read_thread(user, thread) -> bool:
    """A private conversation only for its participants (a query: call it outside the event
    loop), any other thread by its category."""
    if thread.category.is_private:
        from forum.models import ThreadParticipant

        return (
            is_active_member(user)
            and ThreadParticipant.objects.reading(user).filter(thread_id=thread.pk).exists()
        )
    return may_read_category(user, thread.category)


def may_see_post(user, post) -> bool:
    """Deleted and hidden posts stay visible (as such) only to moderators."""
    return post.is_shown or is_moderator(user)


NEUTRAL_NAME = "A member"


def display_name(author, viewer) -> str:
    """The name ``viewer`` sees for ``author`` (a user or None)."""
    if author is None:
        return _("Former member")
    profile = getattr(author, "profile", None)
    if profile is None:
        return author.get_username()
    return shown_name(
        author_id=author.pk, name=profile.name, visibility=profile.visibility, viewer=viewer
    )


def display_picture(author, viewer):
    """The avatar ``viewer`` sees for ``author``: the profile's picture where its name is
    shown (``display_name``), nothing otherwise (the page draws initials instead)."""
    profile = getattr(author, "profile", None) if author is not None else None
    if profile is None or not profile.avatar:
        return None
    if not profile_shown(author_id=author.pk, visibility=profile.visibility, viewer=viewer):
        return None
    return profile.avatar


def profile_shown(*, author_id: int, visibility: str, viewer) -> bool:
    """Their own and staff see every profile; a profile shown to members only is hidden
    from anonymous readers; a hidden profile from everyone else."""
    signed_in = viewer is not None and viewer.is_authenticated
    if signed_in and (viewer.pk == author_id or viewer.is_staff):
        return True
    if visibility == MemberProfile.Visibility.PUBLIC:
        return True
    return visibility == MemberProfile.Visibility.MEMBERS and is_active_member(viewer)


def shown_name(*, author_id: int, name: str, visibility: str, viewer) -> str:
    """The profile's name where ``profile_shown``, a neutral name otherwise."""
    if profile_shown(author_id=author_id, visibility=visibility, viewer=viewer):
        return name
    return _(NEUTRAL_NAME)


def author_card(author, viewer) -> dict:
    """What ``viewer`` is shown of a post's or thread's ``author`` (a user or None): the
    name, the profile's id when the name is shown, the country when its owner shows it."""
    name = display_name(author, viewer)
    profile = getattr(author, "profile", None) if author is not None else None
    if profile is None or name != profile.name:
        return {"name": name, "profile_id": None, "country": None}
    shown = visible_fields(profile=profile, viewer=viewer)
    return {
        "name": name,
        "profile_id": profile.pk,
        "country": profile.country if "country" in shown and profile.country else None,
    }
