"""Background work of partner requests: ranking and telling the organisations that fit a
published request, the e-mails, the digests and closing requests at their deadline.

Tasks take ids and read the rows again when they run.
"""

from django_tasks import task


@task()
def match_partner_request(*, request_id: int) -> int:
    from partnering import services

    return services.match_request(request_id=request_id)


@task()
def send_request_email(*, user_id: int, request_id: int, reason: str) -> bool:
    from partnering import emails

    return emails.send_request_email(user_id=user_id, request_id=request_id, reason=reason)


@task()
def close_expired_requests() -> int:
    from partnering import services

    return services.close_expired_requests()


@task()
def send_daily_digests() -> int:
    from partnering import services

    return services.send_digests(frequency="daily")


@task()
def send_weekly_digests() -> int:
    from partnering import services

    return services.send_digests(frequency="weekly")
