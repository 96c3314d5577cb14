from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sangtao.api"
    label = "api"
    verbose_name = "API"
