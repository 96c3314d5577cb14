from django.urls import include, path

from sangtao.accounts import views as account_views
from sangtao.common import help as help_views
from sangtao.common import ops
from sangtao.dashboard import views as dashboard_views

urlpatterns = [
    path("huong-dan/", help_views.guide, name="help"),
    path("huong-dan/anh/<str:name>", help_views.image, name="help_image"),
    path("api/", include("sangtao.api.urls")),
    path("healthz", ops.liveness, name="health_live"),
    path("readyz", ops.readiness, name="health_ready"),
    path("metrics", ops.metrics, name="health_metrics"),
    path("", dashboard_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("thong-bao/", include("sangtao.notifications.urls")),
    path("tai-khoan-cua-toi/", account_views.profile, name="profile"),
    path("tai-khoan-cua-toi/khoa-api/", account_views.api_key, name="api_key"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("to-chuc/", include("sangtao.orgs.urls")),
    path("quan-ly-tai-khoan/", include("sangtao.accounts.urls")),
    path("", include("sangtao.signatures.urls")),
    path("", include("sangtao.campaigns.urls")),
    # reports before registrations: "dang-ky/<pk>/bao-cao-ket-qua/" must not fall into "dang-ky/<pk>/<action>/"
    path("", include("sangtao.exchange.urls")),
    path("", include("sangtao.coverage.urls")),
    path("", include("sangtao.appraisals.urls")),
    path("", include("sangtao.reports.urls")),
    path("", include("sangtao.registrations.urls")),
]

handler403 = "sangtao.dashboard.errors.permission_denied"
handler404 = "sangtao.dashboard.errors.page_not_found"
handler500 = "sangtao.dashboard.errors.server_error"
