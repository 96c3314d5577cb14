from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import novelty, views

router = DefaultRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("people", views.PersonViewSet, basename="person")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("registrations", views.RegistrationViewSet, basename="registration")
router.register("reports", views.ReportViewSet, basename="report")
router.register("appraisals", views.AppraisalViewSet, basename="appraisal")

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("v1/novelty/", novelty.NoveltyView.as_view(), name="novelty"),
]
