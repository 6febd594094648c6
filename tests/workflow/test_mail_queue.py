"""Deadlines close on time whatever mail does (issue 21, item 2): mail delivery has its
own queue and worker, so a mail server that hangs after the data cannot hold the worker
that closes votes. Real Redis, two real `celery worker` processes, a real SMTP server."""

from __future__ import annotations

import time

import pytest

from notifications.models import Channel, Notification
from rtm_workflow.celery import app
from statements.states import State
from tests.factories import UserFactory, make_statement
from tests.realservices import WorkerProcess, require_postgres
from tests.workflow.test_beat_worker import _deadline_passed

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def test_mail_delivery_is_routed_to_its_own_queue_and_due_work_is_not():
    route = app.amqp.router.route
    assert route({}, "notifications.tasks.deliver_pending")["queue"].name == "mail"
    assert route({}, "workflow.tasks.run_due_work")["queue"].name == "celery"
    from notifications.tasks import deliver_pending

    assert deliver_pending.soft_time_limit < deliver_pending.time_limit


def wait_until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(what)


def test_a_vote_closes_while_the_mail_server_hangs_after_the_data(
    transactional_db, private_redis, use_real_broker, controllable_smtp
):
    require_postgres()
    use_real_broker(private_redis.url)
    for _ in range(3):
        UserFactory()
    # Queued mail (consultation opened) waits in Redis for the mail worker.
    make_statement(state="consultation", title="Sprachkurse für alle Geflüchteten")
    assert Notification.objects.filter(channel=Channel.EMAIL, status="pending").exists()
    vote = make_statement(state="voting")
    _deadline_passed(vote)

    controllable_smtp.mode = "hang"  # takes the data, never answers (for 10 minutes)
    smtp = {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(controllable_smtp.port),
        "EMAIL_USE_TLS": "false",
    }
    mailer = WorkerProcess(private_redis.url, extra_env=smtp, queues="mail")
    worker = WorkerProcess(private_redis.url, extra_env=smtp, queues="celery")
    mailer.start()
    try:
        wait_until(lambda: controllable_smtp.received, 60, "mail never reached the server")
        worker.start()
        try:
            from workflow.tasks import run_due_work

            run_due_work.delay()
            wait_until(
                lambda: type(vote).objects.get(pk=vote.pk).state != State.VOTING,
                60,
                "the vote did not close:\n" + worker.output(),
            )
        finally:
            worker.stop()
        # The mail worker is still waiting for the server's reply: it held nothing else.
        assert not controllable_smtp.confirmed
    finally:
        mailer.kill()
    vote.refresh_from_db()
    assert vote.state in (State.ACCEPTED, State.REJECTED)
