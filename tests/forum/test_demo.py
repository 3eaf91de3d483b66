"""The forum's demo content loads twice to the same counts."""

import pytest

from demo.loader import seed_forum
from forum.models import Category, Post, Thread

pytestmark = pytest.mark.django_db


def test_seeding_twice_gives_the_same_counts():
    lines = []
    seed_forum(home=None, log=lines.append)
    counts = (Category.objects.count(), Thread.objects.count(), Post.objects.count())
    seed_forum(home=None, log=lines.append)
    assert (Category.objects.count(), Thread.objects.count(), Post.objects.count()) == counts
    assert counts == (3, 2, 5)
    assert Category.objects.filter(visibility="members").count() == 1
    assert lines
