"""API routes for authentication: /api/v1/auth/."""

from django.urls import path

from .views import ObtainTokenView

urlpatterns = [
    path("token/", ObtainTokenView.as_view(), name="auth-token"),
]
