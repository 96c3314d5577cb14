"""Celery application. With no broker configured (CELERY_BROKER_URL unset) tasks run eagerly."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangtao.settings")

app = Celery("sangtao")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
