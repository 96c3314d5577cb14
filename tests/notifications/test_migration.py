"""The notifications written before the hub existed (coverage_notification) are moved, with their read state and
time, and never e-mailed again."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sangtao.notifications.models import Notification

BEFORE = [("coverage", "0003_tally_triggers"), ("notifications", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_old_notifications_move_to_the_hub():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    User = old_apps.get_model("accounts", "User")
    old_model = old_apps.get_model("coverage", "Notification")
    user = User.objects.create(username="old.reader")
    when = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)
    read = old_model.objects.create(user=user, text="Nhắc nhở cũ đã đọc", link="/dot/", read_at=when)
    old_model.objects.filter(pk=read.pk).update(created_at=when)
    old_model.objects.create(user=user, text="Nhắc nhở cũ chưa đọc")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = {n.body: n for n in Notification.objects.filter(user_id=user.pk)}
    assert set(moved) == {"Nhắc nhở cũ đã đọc", "Nhắc nhở cũ chưa đọc"}
    assert moved["Nhắc nhở cũ đã đọc"].read_at == when and moved["Nhắc nhở cũ đã đọc"].created_at == when
    assert moved["Nhắc nhở cũ đã đọc"].url == "/dot/" and moved["Nhắc nhở cũ chưa đọc"].read_at is None
    assert all(n.emailed_at is not None for n in moved.values())
    assert "coverage_notification" not in connection.introspection.table_names()
