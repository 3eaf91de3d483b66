"""A notification is written in its recipient's language, not in the moderator's: the text
is stored as the recipient will read it, category names included."""

import pytest
from django.utils import translation

from forum import services
from forum.models import Category, Notification
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def german_author(db):
    return make_member(username="greta", language="de")


def test_a_hidden_post_is_announced_in_the_authors_language(
    make_thread, public_category, german_author, moderator
):
    thread = make_thread(category=public_category, author=german_author.user)
    post = services.post_reply(thread=thread, author=german_author.user, body="Mein Beitrag")
    with translation.override("en"):  # the moderator works in English
        services.hide_post(post=post, moderator=moderator.user)
    notification = Notification.objects.get(recipient=german_author.user, post=post)
    assert notification.message == "Die Moderation hat Ihren Beitrag ausgeblendet."


def test_a_moved_thread_names_the_category_in_the_authors_language(
    make_thread, public_category, german_author, moderator
):
    thread = make_thread(category=public_category, author=german_author.user)
    events = Category.objects.create(
        slug="events", name_en="Events", name_de="Veranstaltungen", order=3
    )
    with translation.override("fr"):
        services.move_thread(thread=thread, moderator=moderator.user, category=events)
    notification = Notification.objects.get(recipient=german_author.user, kind="moderation")
    assert notification.message == "Die Moderation hat Ihr Thema nach Veranstaltungen verschoben."


def test_an_english_author_reads_english_whatever_the_moderators_language(
    make_thread, public_category, member, moderator
):
    thread = make_thread(category=public_category, author=member.user)
    post = services.post_reply(thread=thread, author=member.user, body="My reply")
    with translation.override("es"):
        services.hide_post(post=post, moderator=moderator.user)
    notification = Notification.objects.get(recipient=member.user, post=post)
    assert notification.message == "A moderator hid your post."
