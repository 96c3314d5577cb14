from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "sangtao.orgs"
    label = "orgs"
    verbose_name = "Tổ chức đảng"

    def ready(self):
        from . import tasks  # noqa: F401 — registers its outbox sweeper (common.jobs.sweeper)
