from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "sangtao.dashboard"
    label = "dashboard"
    verbose_name = "Việc của tôi"
