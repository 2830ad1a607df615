"""The base of every registry serializer, which runs the model's ``full_clean()`` on write."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from kolregistry.access import INTERNAL_FIELD_NAMES, hides_internal_fields

from .errors import django_errors_to_drf
from .fields import detail_view_name


class RegistrySerializer(serializers.ModelSerializer):
    """Base of every registry serializer: ``id``, ``url``, ``display``, and ``full_clean()`` on write.

    DRF 3 does not call ``Model.full_clean()``; this does, on an unsaved copy of the instance with
    the incoming values applied, so the API enforces exactly what the admin does.
    """

    url = serializers.SerializerMethodField()
    display = serializers.CharField(source="__str__", read_only=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return reverse(detail_view_name(type(obj)), kwargs={"pk": obj.pk}, request=self.context.get("request"))

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and hides_internal_fields(request):
            for name in INTERNAL_FIELD_NAMES:
                fields.pop(name, None)
        return fields

    def get_validators(self):
        # Uniqueness and constraints are checked by full_clean() in validate(), with the model's messages.
        return []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        many_to_many = {field.name for field in model._meta.many_to_many}
        values = {name: value for name, value in attrs.items() if name not in many_to_many}
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in values.items():
            setattr(instance, name, value)
        writable = {field.source for field in self.fields.values() if not field.read_only}
        exclude = [field.name for field in model._meta.concrete_fields if field.name not in writable]
        try:
            instance.full_clean(exclude=exclude, validate_unique=True)
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_errors_to_drf(error)) from error
        # clean() may normalise values (handles, hashtag names); keep what it settled on.
        return {**attrs, **{name: getattr(instance, name) for name in values}}
