"""The demo content is data: a copy of demo/data/ changed by an editor, loaded by the
loader pointed at it, is what the database holds; mistakes in it name the file and entry."""

import datetime
import shutil

import pytest
from django.core.management import CommandError, call_command

from demo.loader import (
    DATA_DIR,
    DemoDataError,
    parse_when,
    read_data,
    seed_forum,
    seed_members,
)
from forum.models import Thread
from members.models import Organisation


@pytest.fixture
def data_copy(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.django_db
def test_an_organisation_renamed_in_the_data_is_renamed_in_the_database(data_copy):
    seed_members(log=lambda line: None)
    assert Organisation.objects.get(slug="innovation-norway").name == "Innovation Norway"
    edit(data_copy / "organisations.yaml", "name: Innovation Norway", "name: Innovasjon Norge")

    seed_members(log=lambda line: None, data_dir=data_copy)

    renamed = Organisation.objects.get(slug="innovation-norway")
    assert renamed.name == "Innovasjon Norge"
    assert renamed.description.startswith("Innovasjon Norge was a partner of the European")
    # An unquoted NO is Norway, not YAML 1.1's false.
    assert renamed.country == "NO"
    assert Organisation.objects.count() == 11


@pytest.mark.django_db
def test_a_thread_added_to_the_data_is_in_the_forum(data_copy):
    text = (data_copy / "forum.yaml").read_text(encoding="utf-8")
    text += (
        "  - category: events\n"
        "    title: Who goes to the matchmaking day in Lyon?\n"
        "    tags: [matchmaking]\n"
        "    posts:\n"
        "      - {author: demo-jonas, body: We will be there with **three** SMEs.}\n"
    )
    (data_copy / "forum.yaml").write_text(text, encoding="utf-8")

    seed_forum(log=lambda line: None, data_dir=data_copy)
    seed_forum(log=lambda line: None, data_dir=data_copy)

    thread = Thread.objects.get(title="Who goes to the matchmaking day in Lyon?")
    assert thread.category.slug == "events"
    assert thread.author.profile.display_name == "Jonas Lindqvist"
    assert "<strong>three</strong>" in thread.posts.get().body_html
    assert Thread.objects.count() == 3


def test_dates_are_absolute_or_counted_from_the_day_of_loading():
    friday = datetime.date(2026, 11, 27)
    assert parse_when("2012-10-23 09:00", today=friday) == datetime.datetime(2012, 10, 23, 9, 0)
    assert parse_when("-200d", today=friday) == datetime.datetime(2026, 5, 11, 0, 0)
    # 42 days after a Friday is a Friday: on to the Monday after, then two more days.
    assert parse_when("+42d monday 09:00", today=friday) == datetime.datetime(2027, 1, 11, 9)
    assert parse_when("+42d monday +2d 17:00", today=friday) == datetime.datetime(2027, 1, 13, 17)
    assert parse_when("+3d friday", today=friday).date() == datetime.date(2026, 12, 4)
    assert parse_when("monday", today=datetime.date(2027, 1, 11)).date() == datetime.date(
        2027, 1, 11
    )


@pytest.mark.parametrize("value", ["next week", "2012-13-01", "25:00", "+3w"])
def test_a_date_the_notation_does_not_know_is_refused(value):
    with pytest.raises(DemoDataError):
        parse_when(value)


@pytest.mark.django_db
def test_a_wrong_value_names_the_file_and_the_entry(data_copy):
    edit(
        data_copy / "organisations.yaml",
        "kind: cluster_network\n    sectors: [Business services]",
        "kind: castle\n    sectors: [Business services]",
    )
    with pytest.raises(DemoDataError) as error:
        seed_members(log=lambda line: None, data_dir=data_copy)
    message = str(error.value)
    assert "organisations.yaml" in message
    assert "cdif-france-clusters" in message
    assert "'castle'" in message


@pytest.mark.django_db
def test_seed_demo_reports_a_broken_file_in_one_line(data_copy):
    edit(data_copy / "pages.yaml", "site:\n", "site: [\n")
    with pytest.raises(CommandError, match=r"pages\.yaml: not valid YAML"):
        call_command("seed_demo", data=data_copy, verbosity=0)


def test_plain_values_in_the_data_stay_text_unless_they_are_plainly_numbers_or_booleans(
    tmp_path,
):
    (tmp_path / "values.yaml").write_text(
        "country: NO\nanswer: yes\ntime: 17:00\nday: 2012-10-23\ncode: 0123\n"
        "seats: 12\nopen: true\n",
        encoding="utf-8",
    )
    assert read_data(tmp_path, "values.yaml") == {
        "country": "NO",
        "answer": "yes",
        "time": "17:00",
        "day": "2012-10-23",
        "code": "0123",
        "seats": 12,
        "open": True,
    }
