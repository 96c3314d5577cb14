from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "sangtao.exchange"
    label = "exchange"
    verbose_name = "Nhập, xuất cả đợt"
