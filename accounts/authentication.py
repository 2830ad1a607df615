"""API token authentication (the hashed-token model comes with issue 4)."""

from rest_framework.authentication import BaseAuthentication


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Token <key>``."""

    keyword = "Token"

    def authenticate(self, request):
        return None

    def authenticate_header(self, request):
        return self.keyword
