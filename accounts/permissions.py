"""API permissions (roles and read-only tokens come with issue 4)."""

from rest_framework.permissions import IsAuthenticated


class RegistryPermission(IsAuthenticated):
    """The default permission on every registry endpoint."""
