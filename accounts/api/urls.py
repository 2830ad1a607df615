"""API routes for authentication: /api/v1/auth/ (token endpoint comes with issue 4)."""

urlpatterns = []
