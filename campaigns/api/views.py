"""Viewsets for the campaigns resources, each with the queryset its serializer needs."""

from django.db.models import Prefetch
from django.db.models.functions import Lower

from campaigns import filtersets
from campaigns.models import Assignment, Campaign, CampaignReport, Hashtag, StatedFact
from kolregistry.api.viewsets import RegistryViewSet
from partners.models import Agency, PartnerCompany

from . import serializers


class HashtagViewSet(RegistryViewSet):
    """Hashtags, one row per tag whatever its case."""

    queryset = Hashtag.objects.all()
    serializer_class = serializers.HashtagSerializer
    filterset_class = filtersets.HashtagFilterSet
    ordering = ("name", "id")
    ordering_choices = {"name": ("name", "id"), "-name": ("-name", "-id")}


class CampaignViewSet(RegistryViewSet):
    """Hashtag campaigns."""

    queryset = Campaign.objects.select_related("mou").prefetch_related(
        Prefetch("organisers", queryset=Agency.objects.order_by("name", "id")),
        Prefetch("partners", queryset=PartnerCompany.objects.order_by("short_name", "id")),
        Prefetch("hashtags", queryset=Hashtag.objects.order_by(Lower("name"), "id")),
    )
    serializer_class = serializers.CampaignSerializer
    filterset_class = filtersets.CampaignFilterSet
    ordering = ("name", "id")
    ordering_choices = {"name": ("name", "id"), "-name": ("-name", "-id")}


class AssignmentViewSet(RegistryViewSet):
    """Channels' assignments to campaigns."""

    queryset = Assignment.objects.select_related("campaign", "channel")
    serializer_class = serializers.AssignmentSerializer
    filterset_class = filtersets.AssignmentFilterSet


class CampaignReportViewSet(RegistryViewSet):
    """Campaign result reports; conflicting sources stand side by side."""

    queryset = CampaignReport.objects.select_related("campaign", "hashtag")
    serializer_class = serializers.CampaignReportSerializer
    filterset_class = filtersets.CampaignReportFilterSet


class StatedFactViewSet(RegistryViewSet):
    """Facts as the sources state them, when no field of the registry holds them."""

    queryset = StatedFact.objects.select_related(*StatedFact.SUBJECTS)
    serializer_class = serializers.StatedFactSerializer
    filterset_class = filtersets.StatedFactFilterSet
