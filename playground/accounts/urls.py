from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from playground.accounts import views
from playground.limits.login import ThrottledAuthenticationForm

app_name = "accounts"

urlpatterns = [
    path("link/<str:token>/", views.redeem_link, name="link"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            redirect_authenticated_user=True,
            authentication_form=ThrottledAuthenticationForm,  # failures are limited
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
