"""Phase times in the admin are local times of the cycle's own time zone: a cycle run from
New York is edited in New York time on a site that lives in Brussels time."""

import datetime

import pytest

from awards.models import AwardPhase
from tests.awards.factories import make_cycle, make_editor

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def as_post(form) -> dict:
    """What a browser sends back for ``form`` and its formsets, unchanged."""
    data = {}

    def fill(each):
        for name in each.fields:
            value = each[name].value()
            key = each.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, datetime.datetime):
                data[key] = value.strftime("%Y-%m-%d %H:%M")
            elif isinstance(value, list | tuple):
                data[key] = list(value)
            else:
                data[key] = "" if value is None else value

    fill(form)
    for formset in form.formsets.values():
        fill(formset.management_form)
        for each in formset.forms:
            fill(each)
    return data


def phase_key(form, kind: str) -> str:
    (found,) = [f for f in form.formsets["phases"].forms if f["kind"].value() == kind]
    return found.prefix


def edit(client, cycle, **phase_times):
    url = f"/admin/awards/awardcycle/edit/{cycle.pk}/"
    form = client.get(url).context["form"]
    data = as_post(form)
    for key, value in phase_times.items():
        kind, field = key.rsplit("_", 1)
        data[f"{phase_key(form, kind)}-{field}"] = value
    return client.post(url, data)


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def test_times_entered_are_read_in_the_cycles_zone_across_a_dst_change(editor_client):
    cycle = make_cycle(time_zone="America/New_York")
    # New York moves its clocks on 14 March 2027 (Brussels not before the 28th).
    response = edit(
        editor_client,
        cycle,
        applications_starts="2027-03-13 09:00",
        applications_ends="2027-03-15 09:00",
    )
    assert response.status_code == 302, response.context["form"].errors
    phase = AwardPhase.objects.get(cycle=cycle, kind="applications")
    assert phase.starts == datetime.datetime(2027, 3, 13, 14, 0, tzinfo=UTC)  # EST, UTC-5
    assert phase.ends == datetime.datetime(2027, 3, 15, 13, 0, tzinfo=UTC)  # EDT, UTC-4
    # The form shows them again as the editor typed them, in New York time.
    page = editor_client.get(f"/admin/awards/awardcycle/edit/{cycle.pk}/").content.decode()
    assert 'value="2027-03-13 09:00"' in page
    assert 'value="2027-03-15 09:00"' in page
    assert "America/New_York" in page


def test_the_same_times_in_a_brussels_cycle_are_brussels_times(editor_client):
    cycle = make_cycle(time_zone="Europe/Brussels")
    edit(
        editor_client,
        cycle,
        applications_starts="2027-03-13 09:00",
        applications_ends="2027-03-15 09:00",
    )
    phase = AwardPhase.objects.get(cycle=cycle, kind="applications")
    assert phase.starts == datetime.datetime(2027, 3, 13, 8, 0, tzinfo=UTC)
    assert phase.ends == datetime.datetime(2027, 3, 15, 8, 0, tzinfo=UTC)


def test_a_time_the_clocks_skip_in_the_cycles_zone_is_refused(editor_client):
    cycle = make_cycle(time_zone="America/New_York")
    before = AwardPhase.objects.get(cycle=cycle, kind="applications").starts
    # 02:30 on 14 March 2027 does not exist in New York (it does in Brussels).
    response = edit(editor_client, cycle, applications_starts="2027-03-14 02:30")
    assert response.status_code == 200
    assert "America/New_York" in response.content.decode()
    assert AwardPhase.objects.get(cycle=cycle, kind="applications").starts == before


def test_a_zone_changed_with_the_times_reads_them_in_the_new_zone(editor_client):
    cycle = make_cycle(time_zone="Europe/Brussels")
    url = f"/admin/awards/awardcycle/edit/{cycle.pk}/"
    form = editor_client.get(url).context["form"]
    data = as_post(form)
    data["time_zone"] = "America/New_York"
    prefix = phase_key(form, "applications")
    data[f"{prefix}-starts"] = "2027-07-01 12:00"
    data[f"{prefix}-ends"] = "2027-07-02 12:00"
    assert editor_client.post(url, data).status_code == 302
    phase = AwardPhase.objects.get(cycle=cycle, kind="applications")
    assert phase.starts == datetime.datetime(2027, 7, 1, 16, 0, tzinfo=UTC)
