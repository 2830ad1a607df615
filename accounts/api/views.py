"""``POST /api/v1/auth/token/``: trade a username and password for an API token."""

import datetime

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.signals import user_logged_in
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiToken


class CredentialsSerializer(serializers.Serializer):
    """A user's credentials; ``validate`` authenticates them."""

    # No longer than a username can be: a longer one would reach django-axes, which cannot store it.
    username = serializers.CharField(
        max_length=get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length
    )
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    def validate(self, attrs):
        # The Django request, not DRF's wrapper: django-axes flags a lockout on it
        # and its middleware then answers 429.
        request = self.context["request"]._request
        user = authenticate(request=request, username=attrs["username"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError(
                _("Unable to log in with the provided credentials."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class TokenResponseSerializer(serializers.Serializer):
    """The new key (shown only this once) and when it expires."""

    token = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)


class ObtainTokenView(APIView):
    """Issue a token with the user's own rights.

    It is read-write, scoped to the user's partner company for partner users,
    and expires after ``KOLREG_API_TOKEN_DAYS`` days. Repeated failures lock the
    username out (django-axes, 429).
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = CredentialsSerializer

    @extend_schema(request=CredentialsSerializer, responses=TokenResponseSerializer, auth=[])
    def post(self, request):
        serializer = self.serializer_class(data=request.data, context={"request": request})
        if not serializer.is_valid():
            # Returned, not raised: DRF rolls back the request's transaction on exceptions,
            # which would also undo django-axes' record of the failed attempt.
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        user = serializer.validated_data["user"]
        # A token is a login: records last_login, and lets django-axes reset the failure count.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        days = settings.KOLREG_API_TOKEN_DAYS
        expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
        _token, key = ApiToken.objects.issue(
            owner=user,
            name=f"POST /auth/token/ {timezone.localdate():%Y-%m-%d}",
            read_only=False,
            expires_at=expires_at,
        )
        return Response(TokenResponseSerializer({"token": key, "expires_at": expires_at}).data)
