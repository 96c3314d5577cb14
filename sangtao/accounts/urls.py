from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="user_list"),
    path("moi/", views.user_create, name="user_create"),
    path("<int:pk>/", views.user_detail, name="user_detail"),
    path("<int:pk>/vai-tro/<int:role_pk>/bo/", views.role_remove, name="role_remove"),
    path("<int:pk>/khoa/", views.user_toggle_active, name="user_toggle_active"),
    path("<int:pk>/mat-khau/", views.user_set_password, name="user_set_password"),
    path("<int:pk>/go-khoa/", views.user_unlock, name="user_unlock"),
    path("<int:pk>/xoa-2fa/", views.user_reset_mfa, name="user_reset_mfa"),
]
