"""A real Celery worker, fed through the real Redis, delivers what notify() wrote to PostgreSQL."""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction

from presidium.notifications.choices import OutboxStatus
from presidium.notifications.models import OutboxMessage
from presidium.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.stack

DELIVERY_TIMEOUT = 60  # seconds: a cold worker start is 3–5 s on a 2-core machine
STOP_TIMEOUT = 15


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database this test process uses (the pytest test database)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    host = settings_dict.get("HOST") or "localhost"
    if host.startswith("/"):  # a socket directory: dj-database-url reads it percent-encoded
        host = quote(host, safe="")
    port = settings_dict.get("PORT") or "5432"
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


@pytest.fixture
def celery_app():
    """This process publishes to Redis for real (the suite's autouse fixture makes Celery eager)."""
    from config.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = saved


@pytest.fixture
def worker(transactional_db, tmp_path, celery_app):
    """``celery -A config worker --pool=solo`` on the same Redis and on the pytest test database."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "development",
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"stack-{uuid.uuid4().hex[:8]}@%h",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield _Worker(process, mail_dir, log_path)
    finally:
        process.terminate()  # warm shutdown: finishes the task in hand, acks, exits
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _Worker:
    def __init__(self, process: subprocess.Popen, mail_dir: Path, log_path: Path):
        self.process, self.mail_dir, self.log_path = process, mail_dir, log_path

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def wait_until(self, condition, *, what: str, timeout: float = DELIVERY_TIMEOUT):
        """Poll ``condition()`` until it is true; fail with the worker's log if it dies or time runs out."""
        deadline = time.monotonic() + timeout
        while True:
            if condition():
                return
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited ({self.process.returncode}) before {what}:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} within {timeout} s; worker log:\n{self.log_tail()}")
            time.sleep(0.2)

    def written_mail(self) -> list[email.message.EmailMessage]:
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return messages


def test_it_delivers_a_committed_notification_through_redis_and_a_real_worker(worker):
    """notify() in a committed transaction → on_commit enqueues → the worker sends the e-mail, marks it sent."""
    recipient = UserFactory(username="stack_deputy", email="stack_deputy@example.invalid")
    with transaction.atomic():
        (notification,) = notify(recipients=[recipient], title="栈测试：会议通知", body="请按时参加。",
                                 url="/meetings/1/")
    message = OutboxMessage.objects.get(notification=notification)

    def delivered():
        message.refresh_from_db()
        return message.status == OutboxStatus.SENT

    worker.wait_until(delivered, what="delivery of the outbox row")
    assert message.attempts == 1 and message.sent_at is not None and message.last_error == ""
    assert mail.outbox == [], "the worker sent it, not this process"
    (written,) = worker.written_mail()
    assert written["To"] == "stack_deputy@example.invalid"
    assert written["Subject"].strip() == "【乡镇人大主席团工作平台】栈测试：会议通知"  # folded by Python: " =?utf-8?b?…"
    assert written["X-Portal-Outbox-Id"] == str(message.pk)
    assert "请按时参加。" in written.get_body(preferencelist=("plain",)).get_content()
