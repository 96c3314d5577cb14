from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "sangtao.campaigns"
    label = "campaigns"
    verbose_name = "Đợt đăng ký"
