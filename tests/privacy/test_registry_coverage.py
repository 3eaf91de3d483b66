"""The registry of personal data sources against the models: every link to a person is
exported, erased or explained; each source's declared fate is what its foreign key does."""

import pytest
from django.contrib.auth import get_user_model
from django.db import models
from django.test.utils import isolate_apps

from members.models import MemberProfile
from privacy.registry import NOT_PERSONAL, SOURCES, Fate, personal_links, uncovered_links


def test_every_link_to_a_person_is_a_source_or_declared_not_personal():
    assert uncovered_links() == []


@isolate_apps("privacy")
def test_a_new_model_with_a_member_field_fails_until_it_is_registered():
    class Diary(models.Model):  # noqa: DJ008
        owner = models.ForeignKey(get_user_model(), on_delete=models.CASCADE)
        text = models.TextField()

        class Meta:
            app_label = "privacy"

    class Note(models.Model):  # noqa: DJ008
        author = models.ForeignKey(MemberProfile, on_delete=models.CASCADE)
        contact = models.EmailField()

        class Meta:
            app_label = "privacy"

    assert uncovered_links([Diary, Note]) == [
        "privacy.Diary.owner",
        "privacy.Note.author",
        "privacy.Note.contact",
    ]


def test_not_personal_declarations_name_existing_fields_and_give_a_reason():
    from django.apps import apps

    for key, reason in NOT_PERSONAL.items():
        app_label, model_name, field_name = key.split(".")
        apps.get_model(app_label, model_name)._meta.get_field(field_name)
        assert len(reason) > 20, key


def test_sources_name_real_fields_and_unique_files():
    names = [source.name for source in SOURCES if source.export]
    assert len(names) == len(set(names))
    for source in SOURCES:
        if source.link != "pk":
            source.link_field()
        for name in source.fields:
            source.model_class._meta.get_field(name)
        assert source.export == bool(source.name), source


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: f"{s.model}.{s.link}")
def test_each_sources_fate_is_what_its_foreign_key_does(source):
    if source.link == "pk":
        return
    field = source.link_field()
    if field.many_to_many or "__" in source.link:
        # Rows of a many-to-many link go with the account; a path goes through a source.
        assert source.fate is Fate.DELETED
        return
    on_delete = field.remote_field.on_delete
    if source.fate in (Fate.DELETED, Fate.CANCELLED):
        assert on_delete is models.CASCADE
    else:
        assert field.null
        assert on_delete in (models.SET_NULL, models.DO_NOTHING)


def test_personal_links_find_the_club_models():
    keys = {f"{m._meta.label}.{f.name}" for m, f in personal_links()}
    assert {"forum.Post.author", "events.Registration.member", "members.Follow.follower"} <= keys


def test_the_retention_job_runs_hourly_with_the_workers():
    from datetime import timedelta

    from taskqueue import periodic

    job = periodic.JOBS["privacy.apply_retention"]
    assert job.every == timedelta(hours=1)
