from django.urls import path

from . import views

app_name = "signatures"

urlpatterns = [
    path("chu-ky-so/chung-thu/", views.certificates, name="certificates"),
    path("chu-ky-so/chung-thu-goc/", views.trust_roots, name="trust_roots"),
    path("chu-ky-so/kiem-tra/", views.check, name="check"),
]
