"""A throwaway API for the access tests: a few scoped viewsets, the auth routes and the admin.

It keeps these tests independent of the real viewsets while exercising the same
building blocks (``scope_queryset``, ``RegistryPermission``, ``HistoryMixin``).
"""

from django.contrib import admin
from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from campaigns.models import Campaign, CampaignReport
from kolregistry.access import scope_queryset
from kolregistry.api.history import HistoryMixin
from partners.models import ChannelMetric, Mou


class MouSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mou
        fields = ["id", "title", "agency", "partner", "starts_on", "ends_on", "notes"]


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "name", "slug", "partners", "organisers", "hashtags"]


class ChannelMetricSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChannelMetric
        fields = ["id", "channel", "measured_on", "followers", "source_note"]


class CampaignReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = CampaignReport
        fields = ["id", "campaign", "hashtag", "views", "source_note"]


class ScopedViewSet(HistoryMixin, viewsets.ModelViewSet):
    pagination_class = None

    def get_queryset(self):
        return scope_queryset(self.request, self.queryset)


class MouViewSet(ScopedViewSet):
    queryset = Mou.objects.all()
    serializer_class = MouSerializer


class CampaignViewSet(ScopedViewSet):
    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer


class ChannelMetricViewSet(ScopedViewSet):
    queryset = ChannelMetric.objects.all()
    serializer_class = ChannelMetricSerializer


class CampaignReportViewSet(ScopedViewSet):
    queryset = CampaignReport.objects.all()
    serializer_class = CampaignReportSerializer


router = DefaultRouter()
router.register("mous", MouViewSet)
router.register("campaigns", CampaignViewSet)
router.register("channel-metrics", ChannelMetricViewSet)
router.register("campaign-reports", CampaignReportViewSet)

urlpatterns = [
    path("api/v1/auth/", include("accounts.api.urls")),
    path("api/v1/", include(router.urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
