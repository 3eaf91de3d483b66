"""Who may do what through /api/forum/: anonymous, member, other member, moderator."""

import pytest

from forum import services
from forum.models import Post
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def as_user(client, user):
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def reply(public_thread, other_member):
    return services.post_reply(thread=public_thread, author=other_member.user, body="A reply")


def actors(member, other_member, moderator):
    return {
        "anonymous": None,
        "member": member.user,
        "other": other_member.user,
        "mod": moderator.user,
    }


def test_anonymous_reads_public_threads_but_not_members_only_ones(
    api_client, public_thread, private_thread
):
    listed = api_client.get("/api/forum/threads/").json()
    assert [t["id"] for t in listed["results"]] == [public_thread.pk]
    assert api_client.get(f"/api/forum/threads/{public_thread.pk}/").status_code == 200
    assert api_client.get(f"/api/forum/threads/{private_thread.pk}/").status_code == 404
    assert api_client.get(f"/api/forum/threads/{private_thread.pk}/posts/").status_code == 404
    categories = [c["slug"] for c in api_client.get("/api/forum/categories/").json()["results"]]
    assert categories == ["cluster-management"]


def test_signed_in_member_reads_members_only_threads(api_client, other_member, private_thread):
    as_user(api_client, other_member.user)
    answer = api_client.get(f"/api/forum/threads/{private_thread.pk}/posts/")
    assert answer.status_code == 200
    assert answer.json()["count"] == 1


def test_thread_json_carries_the_absolute_url_of_its_page(api_client, public_thread):
    body = api_client.get(f"/api/forum/threads/{public_thread.pk}/").json()
    assert body["url"] == f"http://testserver/forum/threads/{public_thread.pk}/"
    assert body["reply_count"] == 0
    assert body["category"]["slug"] == "cluster-management"


@pytest.mark.parametrize(
    ("actor", "expected"), [("anonymous", 401), ("member", 201), ("other", 201), ("mod", 201)]
)
def test_who_may_reply(api_client, public_thread, member, other_member, moderator, actor, expected):
    user = actors(member, other_member, moderator)[actor]
    answer = as_user(api_client, user).post(
        f"/api/forum/threads/{public_thread.pk}/posts/", {"body": f"Reply by {actor}"}
    )
    assert answer.status_code == expected, answer.content
    assert Post.objects.filter(body=f"Reply by {actor}").exists() == (expected == 201)


@pytest.mark.parametrize(
    ("actor", "expected"), [("anonymous", 401), ("member", 403), ("other", 200), ("mod", 200)]
)
def test_who_may_edit_a_post(api_client, reply, member, other_member, moderator, actor, expected):
    user = actors(member, other_member, moderator)[actor]
    answer = as_user(api_client, user).patch(f"/api/forum/posts/{reply.pk}/", {"body": "Changed"})
    assert answer.status_code == expected, answer.content
    reply.refresh_from_db()
    assert (reply.body == "Changed") == (expected == 200)
    if expected == 200:
        assert reply.revisions.get().body == "A reply"
        assert answer.json()["edited"] is not None


@pytest.mark.parametrize(
    ("actor", "expected"), [("anonymous", 401), ("member", 403), ("other", 204), ("mod", 204)]
)
def test_who_may_delete_a_post(api_client, reply, member, other_member, moderator, actor, expected):
    user = actors(member, other_member, moderator)[actor]
    answer = as_user(api_client, user).delete(f"/api/forum/posts/{reply.pk}/")
    assert answer.status_code == expected, answer.content
    reply.refresh_from_db()
    assert (reply.deleted is not None) == (expected == 204)


@pytest.mark.parametrize(
    ("actor", "expected"), [("anonymous", 401), ("member", 403), ("other", 403), ("mod", 200)]
)
def test_only_moderators_lock_pin_and_move_threads(
    api_client, public_thread, members_category, member, other_member, moderator, actor, expected
):
    user = actors(member, other_member, moderator)[actor]
    answer = as_user(api_client, user).patch(
        f"/api/forum/threads/{public_thread.pk}/",
        {"locked": True, "pinned": True, "category": members_category.pk},
    )
    assert answer.status_code == expected, answer.content
    public_thread.refresh_from_db()
    assert public_thread.locked == (expected == 200)
    assert public_thread.pinned == (expected == 200)
    assert (public_thread.category_id == members_category.pk) == (expected == 200)


def test_a_deleted_post_disappears_for_readers_but_moderators_still_see_it(
    api_client, public_thread, reply, other_member, moderator
):
    services.delete_post(post=reply, actor=other_member.user)
    anonymous = api_client.get(f"/api/forum/threads/{public_thread.pk}/posts/").json()
    assert [p["id"] for p in anonymous["results"]] == [public_thread.posts.first().pk]
    as_user(api_client, moderator.user)
    seen = api_client.get(f"/api/forum/threads/{public_thread.pk}/posts/").json()
    assert reply.pk in [p["id"] for p in seen["results"]]
    public_thread.refresh_from_db()
    assert public_thread.reply_count == 0


def test_replying_to_a_locked_thread_is_a_conflict(
    api_client, public_thread, other_member, moderator
):
    services.lock_thread(thread=public_thread, moderator=moderator.user)
    answer = as_user(api_client, other_member.user).post(
        f"/api/forum/threads/{public_thread.pk}/posts/", {"body": "Too late?"}
    )
    assert answer.status_code == 409
    assert "locked" in answer.json()["detail"]
    assert not Post.objects.filter(body="Too late?").exists()


def test_posts_are_serialised_with_the_documented_fields(api_client, public_thread, reply):
    api_client.post(f"/api/forum/posts/{reply.pk}/reactions/", {"kind": "like"})
    results = api_client.get(f"/api/forum/threads/{public_thread.pk}/posts/").json()["results"]
    assert set(results[1]) == {
        "id",
        "thread",
        "author",
        "body_html",
        "created",
        "edited",
        "reactions",
    }
    assert results[1]["author"]["display_name"] == "Other"
    assert results[1]["thread"] == public_thread.pk


def test_posts_after_a_given_id_are_the_missed_ones(api_client, public_thread, other_member):
    first = public_thread.posts.get()
    later = [
        services.post_reply(thread=public_thread, author=other_member.user, body=f"Reply {n}")
        for n in range(3)
    ]
    answer = api_client.get(f"/api/forum/threads/{public_thread.pk}/posts/?after={later[0].pk}")
    assert [p["id"] for p in answer.json()["results"]] == [later[1].pk, later[2].pk]
    everything = api_client.get(f"/api/forum/threads/{public_thread.pk}/posts/?after=0").json()
    assert [p["id"] for p in everything["results"]] == [first.pk, *(p.pk for p in later)]


@pytest.mark.parametrize("query", ["after=abc", "after=-1", "sort=id"])
def test_bad_query_parameters_are_refused(api_client, public_thread, query):
    answer = api_client.get(f"/api/forum/threads/{public_thread.pk}/posts/?{query}")
    assert answer.status_code == 400


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"body": ""},
        {"body": "  "},
        {"body": "x" * 20_001},
        {"body": ["list"]},
        {"body": 12345},
        {"body": True},
        {"body": "nul \x00 inside"},
    ],
)
def test_bad_reply_bodies_are_refused_and_nothing_is_stored(
    api_client, public_thread, other_member, payload
):
    before = Post.objects.count()
    answer = as_user(api_client, other_member.user).post(
        f"/api/forum/threads/{public_thread.pk}/posts/", payload, format="json"
    )
    assert answer.status_code == 400
    assert "body" in answer.json()
    assert Post.objects.count() == before


@pytest.mark.parametrize(
    "payload",
    [
        {"title": "Hi", "body": "Short title"},
        {"title": "A fine title", "body": ""},
        {"title": "A fine title", "body": "ok body", "category": 999999},
        {"title": "A fine title", "body": "ok body", "category": "x"},
        {"title": "A fine title", "body": "ok body", "tags": ["<script>"]},
        {"title": "A fine title", "body": "ok body", "tags": ["a", "b", "c", "d", "e", "f"]},
    ],
)
def test_bad_new_threads_are_refused(api_client, public_category, member, payload):
    payload = {"category": public_category.pk, **payload}
    answer = as_user(api_client, member.user).post("/api/forum/threads/", payload, format="json")
    assert answer.status_code == 400, answer.content
    assert not public_category.threads.exists()


def test_a_member_starts_a_thread_with_tags(api_client, public_category, member):
    answer = as_user(api_client, member.user).post(
        "/api/forum/threads/",
        {
            "category": public_category.pk,
            "title": "Looking for cluster partners",
            "body": "We build **batteries**.",
            "tags": ["Energy", "batteries"],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["tags"] == ["batteries", "energy"]
    listed = api_client.get("/api/forum/threads/?tag=energy").json()
    assert listed["count"] == 1


def test_members_cannot_start_threads_in_categories_they_cannot_see(
    api_client, members_category, disabled_member
):
    api_client.force_authenticate(disabled_member)
    answer = api_client.post(
        "/api/forum/threads/",
        {"category": members_category.pk, "title": "Sneaky thread", "body": "hello"},
        format="json",
    )
    assert answer.status_code in {400, 403}
    assert not members_category.threads.exists()


def test_reactions_count_once_per_member_and_can_be_taken_back(
    api_client, reply, member, other_member
):
    as_user(api_client, member.user)
    url = f"/api/forum/posts/{reply.pk}/reactions/"
    assert api_client.post(url, {"kind": "like"}).json()["like"] == 1
    assert api_client.post(url, {"kind": "like"}).json()["like"] == 1
    as_user(api_client, other_member.user)
    assert api_client.post(url, {"kind": "like"}).json()["like"] == 2
    assert api_client.delete(f"{url}?kind=like").json()["like"] == 1
    assert api_client.post(url, {"kind": "love-bomb"}).status_code == 400


def test_hidden_profiles_are_shown_with_a_neutral_name_to_others(api_client, public_category):
    shy = make_member(username="shy", display_name="Shy Person", visibility="hidden")
    thread = services.start_thread(
        category=public_category, author=shy.user, title="Quiet question", body="Anyone?"
    )
    post = api_client.get(f"/api/forum/threads/{thread.pk}/posts/").json()["results"][0]
    assert post["author"] == {"id": None, "display_name": "A member", "country": None}
    api_client.force_authenticate(shy.user)
    own = api_client.get(f"/api/forum/threads/{thread.pk}/posts/").json()["results"][0]
    assert own["author"]["display_name"] == "Shy Person"


def test_unread_counts_follow_what_the_member_has_read(
    api_client, public_thread, member, other_member
):
    for n in range(2):
        services.post_reply(thread=public_thread, author=other_member.user, body=f"News {n}")
    as_user(api_client, member.user)
    assert api_client.get("/api/forum/threads/").json()["results"][0]["unread"] == 2
    api_client.post(f"/api/forum/threads/{public_thread.pk}/read/", {})
    assert api_client.get("/api/forum/threads/").json()["results"][0]["unread"] == 0


def test_edits_must_be_text(api_client, reply, other_member):
    as_user(api_client, other_member.user)
    answer = api_client.patch(f"/api/forum/posts/{reply.pk}/", {"body": 12345}, format="json")
    assert answer.status_code == 400
    reply.refresh_from_db()
    assert reply.body == "A reply"


@pytest.mark.parametrize("query", ["unread=null", "unread=yes", "nope=1"])
def test_bad_notification_filters_are_refused(api_client, member, query):
    as_user(api_client, member.user)
    assert api_client.get(f"/api/forum/notifications/?{query}").status_code == 400


def test_flags_answer_with_an_empty_resolution_while_open(api_client, reply, member):
    as_user(api_client, member.user)
    answer = api_client.post(f"/api/forum/posts/{reply.pk}/flags/", {"reason": "spam"})
    assert answer.status_code == 201
    assert answer.json()["resolution"] == ""
    assert answer.json()["resolved"] is None
