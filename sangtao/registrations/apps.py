from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "sangtao.registrations"
    label = "registrations"
    verbose_name = "Đăng ký mô hình"
