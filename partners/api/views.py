"""Viewsets for the partners resources, each with the queryset its serializer needs."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from kolregistry.api.concurrency import etag_of
from kolregistry.api.errors import django_errors_to_drf
from kolregistry.api.parsers import RegistryMultiPartParser
from kolregistry.api.viewsets import RegistryViewSet
from partners import filtersets, services
from partners.models import (
    FOLLOWERS_RANK,
    Agency,
    Channel,
    ChannelMetric,
    Kol,
    Mou,
    MouPerson,
    PartnerCompany,
    Person,
    RosterMembership,
)

from . import serializers as partner_serializers

BY_NAME = {"name": ("name", "id"), "-name": ("-name", "-id")}


class AgencyViewSet(RegistryViewSet):
    """Government agencies."""

    queryset = Agency.objects.select_related("parent")
    serializer_class = partner_serializers.AgencySerializer
    filterset_class = filtersets.AgencyFilterSet
    ordering = ("name", "id")
    ordering_choices = BY_NAME


class PartnerCompanyViewSet(RegistryViewSet):
    """Partner companies; ``roster`` lists the channels one managed on a date."""

    queryset = PartnerCompany.objects.all()
    serializer_class = partner_serializers.PartnerCompanySerializer
    filterset_class = filtersets.PartnerCompanyFilterSet
    ordering = ("short_name", "id")
    ordering_choices = {"name": ("short_name", "id"), "-name": ("-short_name", "-id")}

    def get_ordering(self):
        if self.action == "roster":
            return ChannelViewSet.ordering
        return super().get_ordering()

    @extend_schema(
        parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="The date (default: today).")],
        responses=partner_serializers.ChannelSerializer(many=True),
        filters=False,
    )
    @action(detail=True, filter_backends=[])
    def roster(self, request, pk=None):
        """The channels this partner managed on ``?on=YYYY-MM-DD``, with their KOL and latest follower count."""
        partner = self.get_object()
        on = request.query_params.get("on")
        try:
            day = serializers.DateField().run_validation(on) if on else timezone.localdate()
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"on": error.detail}) from error
        channels = self.scoped(ChannelViewSet.queryset.managed_by(partner, day))
        return self.page_response(channels, partner_serializers.ChannelSerializer)


class KolViewSet(RegistryViewSet):
    """KOLs, searchable in both spellings."""

    queryset = Kol.objects.prefetch_related(Prefetch("channels", queryset=Channel.objects.order_by("id")))
    serializer_class = partner_serializers.KolSerializer
    filterset_class = filtersets.KolFilterSet
    ordering = ("name", "id")
    ordering_choices = BY_NAME


class ChannelViewSet(RegistryViewSet):
    """Channels with their owner and latest follower count."""

    queryset = Channel.objects.select_related("kol", "agency").annotate(followers_rank=FOLLOWERS_RANK)
    serializer_class = partner_serializers.ChannelSerializer
    filterset_class = filtersets.ChannelFilterSet
    ordering = ("display_name", "id")
    ordering_choices = {
        "name": ("display_name", "id"),
        "-name": ("-display_name", "-id"),
        "followers": ("followers_rank", "id"),
        "-followers": ("-followers_rank", "-id"),
    }


class ChannelMetricViewSet(RegistryViewSet):
    """Follower and reach snapshots of channels."""

    queryset = ChannelMetric.objects.select_related("channel")
    serializer_class = partner_serializers.ChannelMetricSerializer
    filterset_class = filtersets.ChannelMetricFilterSet


class RosterMembershipViewSet(RegistryViewSet):
    """Roster memberships: which partner managed which channel when."""

    queryset = RosterMembership.objects.select_related("channel", "partner")
    serializer_class = partner_serializers.RosterMembershipSerializer
    filterset_class = filtersets.RosterMembershipFilterSet
    ordering = ("-starts_on", "-id")
    ordering_choices = {"starts_on": ("starts_on", "id"), "-starts_on": ("-starts_on", "-id")}


class MouViewSet(RegistryViewSet):
    """MOUs between agencies and partner companies."""

    queryset = Mou.objects.select_related("agency", "partner", "renews").prefetch_related(
        Prefetch("kols", queryset=Kol.objects.order_by("id")),
        Prefetch("channels", queryset=Channel.objects.order_by("id")),
    )
    serializer_class = partner_serializers.MouSerializer
    filterset_class = filtersets.MouFilterSet
    ordering = ("title", "id")
    ordering_choices = {"title": ("title", "id"), "-title": ("-title", "-id")}

    @extend_schema(request=None, responses={201: partner_serializers.MouSerializer}, filters=False)
    @action(detail=True, methods=["post"], filter_backends=[])
    def renew(self, request, pk=None):
        """Create a draft MOU renewing this one: same parties, scope, named KOLs and channels and contact persons.

        Its signing, period and document are left to fill in. Needs the right to add MOUs (partners: 403).
        A draft, or an MOU already renewed, is a 400 naming the renewal.
        """
        mou = self.get_object()
        try:
            draft = services.renew_mou(mou, request.user)
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_errors_to_drf(error)) from error
        draft = self.scoped(self.queryset.filter(pk=draft.pk)).get()
        return Response(self.get_serializer(draft).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PUT"],
        summary="Upload the MOU's signed document",
        description=(
            "Upload the signed PDF as multipart/form-data, in one file field `document`, replacing any. It is "
            "checked as the admin checks it (a PDF, within the size limit). Answers with the MOU and its new `ETag`."
        ),
        request={"multipart/form-data": partner_serializers.MouDocumentSerializer},
        responses={200: partner_serializers.MouSerializer},
        filters=False,
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Remove the MOU's signed document",
        description="Answers with the MOU (`document`: null) and its new `ETag`; removing no document changes nothing.",
        request=None,
        responses={200: partner_serializers.MouSerializer},
        filters=False,
    )
    @action(
        detail=True,
        methods=["put", "delete"],
        parser_classes=[RegistryMultiPartParser],
        serializer_class=partner_serializers.MouDocumentSerializer,
        filter_backends=[],
        write_permission="change",
    )
    def document(self, request, pk=None):
        """PUT uploads the signed PDF (multipart/form-data, one file field "document"), replacing any.

        It is checked as the admin checks it (a PDF, within the size limit). DELETE removes it from the
        MOU. Both answer 200 with the MOU and its new ETag, take If-Match, and need the right to change
        MOUs (partners: 403). A replaced or removed file stays in storage for the MOU's history.
        """
        mou = self.get_object()
        if request.method == "DELETE":
            if mou.document:  # removing nothing is no change: no new version, no history record
                mou.document = ""
                mou.save(update_fields=["document", "updated_at"])
        else:
            serializer = self.get_serializer(mou, data=request.data)
            serializer.is_valid(raise_exception=True)
            mou = serializer.save()
        body = partner_serializers.MouSerializer(mou, context=self.get_serializer_context()).data
        return Response(body, headers={"ETag": etag_of(mou)})


class PersonViewSet(RegistryViewSet):
    """Signatories and contact persons of MOUs, searchable in both spellings."""

    queryset = Person.objects.select_related("agency", "partner")
    serializer_class = partner_serializers.PersonSerializer
    filterset_class = filtersets.PersonFilterSet
    ordering = ("name", "id")
    ordering_choices = BY_NAME


class MouPersonViewSet(RegistryViewSet):
    """Who signed an MOU, who are its contacts and who was present at the signing, for which side."""

    queryset = MouPerson.objects.select_related("mou", "person")
    serializer_class = partner_serializers.MouPersonSerializer
    filterset_class = filtersets.MouPersonFilterSet
