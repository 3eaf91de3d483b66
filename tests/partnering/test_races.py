"""Concurrent answers and closings of one partner request (PostgreSQL row locks)."""

import datetime

import pytest
from django.utils import timezone

from domain.exceptions import Conflict
from forum.models import Thread
from partnering import services
from partnering.models import Interest, PartnerRequest
from tests.factories import make_member
from tests.forum.test_races import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_request(settings):
    settings.FORUM_POST_INTERVAL = 0
    settings.FORUM_DUPLICATE_WINDOW = 0
    author = make_member(username="ada").user
    return services.create_request(
        author=author,
        kind="mentoring",
        title="Mentors for managers",
        description="Mentoring for new cluster managers.",
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        publish=True,
    )


def test_one_member_answering_twice_at_once_gets_one_interest_and_one_conversation(
    open_request,
):
    member = make_member(username="bert").user
    outcomes = run_together(
        [
            lambda n=n: services.express_interest(
                partner_request=open_request, member=member, message=f"Interested ({n})."
            )
            for n in range(3)
        ]
    )
    assert sum(isinstance(o, Interest) for o in outcomes) == 1
    assert sum(isinstance(o, Conflict) for o in outcomes) == 2
    assert Interest.objects.count() == 1
    assert Thread.objects.filter(category__visibility="private").count() == 1


def test_an_answer_racing_the_closing_is_either_in_before_or_refused(open_request):
    member = make_member(username="bert").user
    outcomes = run_together(
        [
            lambda: services.close_request(partner_request=open_request, actor=open_request.author),
            lambda: services.express_interest(
                partner_request=open_request, member=member, message="Just in time?"
            ),
        ]
    )
    assert isinstance(outcomes[0], PartnerRequest)
    answered = outcomes[1]
    if isinstance(answered, Interest):
        assert answered.created <= PartnerRequest.objects.get().closed
    else:
        assert isinstance(answered, Conflict)
        assert Interest.objects.count() == 0
