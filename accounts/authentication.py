"""API token authentication, and the response a locked-out login gets."""

import math

from axes.helpers import get_cool_off, get_lockout_message
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from kolregistry.http import error_response

from .models import ApiToken


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Token <key>`` against the hashed ``ApiToken`` keys.

    An unknown, expired or revoked key, or one whose owner is inactive, is a 401.
    """

    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Invalid token header: use 'Token <key>'."))
        try:
            key = parts[1].decode()
        except UnicodeError as error:
            raise AuthenticationFailed(_("Invalid token header: the key has invalid characters.")) from error
        # The owner and their roles come with the token: resolving the access needs no more queries.
        token = ApiToken.objects.get_by_key(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if token.is_revoked:
            raise AuthenticationFailed(_("This token has been revoked."))
        if token.is_expired:
            raise AuthenticationFailed(_("This token has expired."))
        if not token.owner.is_active:
            raise AuthenticationFailed(_("The token's owner is inactive."))
        token.touch()
        return token.owner, token

    def authenticate_header(self, request):
        return self.keyword


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: 429 with ``Retry-After``, JSON on the API."""
    response = error_response(request, get_lockout_message(), status=429)
    cool_off = get_cool_off(request)
    if cool_off:
        response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    return response
