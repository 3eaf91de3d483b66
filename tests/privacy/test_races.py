"""Requests that race: each locks the account's row, so the second sees what the first did."""

import threading

import pytest
from django.db import connection

from domain.exceptions import RateLimited
from privacy import services
from privacy.models import ConsentRecord, DataExport
from tests.factories import make_member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_once(action, times: int = 2) -> list:
    barrier = threading.Barrier(times)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(action())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_two_export_requests_at_once_make_one_export():
    user = make_member(username="racer").user

    def ask():
        try:
            return services.request_export(user=user).pk
        except RateLimited:
            # The first one was already built (the tests' queue runs it at its commit).
            return "later"

    results = at_once(ask, times=3)
    exports = list(DataExport.objects.filter(user=user).values_list("pk", flat=True))
    assert len(exports) == 1
    assert set(results) - {"later"} == set(exports)


def test_two_clicks_on_the_newsletter_box_record_one_change():
    user = make_member(username="racer").user
    at_once(lambda: services.set_marketing_consent(user=user, accepted=True), times=3)
    assert ConsentRecord.objects.filter(user=user).count() == 1
