"""Implementation A of the benchmark: the registry's read endpoints as a first draft with DRF would write them.

Plain viewsets over nested ModelSerializers (every related object in full, loaded row by row: no
select_related, no prefetch), LimitOffsetPagination with its count, DRF's SearchFilter and django-filter.
They return the real endpoints' rows in the real endpoints' order, so the benchmark can compare them:
the search runs on the same folded ``search_text`` columns, and the filters keep the real ones' meaning.
Read-only, mounted under /benchmark/naive/ by benchmark/urls.py; the default authentication,
permission and throttling apply, as on the real API.
"""

import django_filters
from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, serializers, viewsets
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.routers import SimpleRouter

from campaigns.models import Campaign, Hashtag
from kolregistry.text import fold
from partners.choices import Platform
from partners.models import Agency, Channel, ChannelMetric, Kol, Mou, PartnerCompany, active_on_condition


class NaivePagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500


class FoldedSearchFilter(filters.SearchFilter):
    """SearchFilter on ``?q=``, its terms folded like the ``search_text`` columns it searches."""

    search_param = "q"

    def get_search_terms(self, request):
        return fold(request.query_params.get(self.search_param, "")).split()


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = "__all__"


class PartnerCompanySerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerCompany
        fields = "__all__"


class KolSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kol
        fields = "__all__"


class ChannelSerializer(serializers.ModelSerializer):
    kol = KolSerializer()
    agency = AgencySerializer()

    class Meta:
        model = Channel
        fields = "__all__"


class KolWithChannelsSerializer(serializers.ModelSerializer):
    channels = ChannelSerializer(many=True)

    class Meta:
        model = Kol
        fields = "__all__"


class MouSerializer(serializers.ModelSerializer):
    agency = AgencySerializer()
    partner = PartnerCompanySerializer()
    kols = KolSerializer(many=True)
    channels = ChannelSerializer(many=True)
    status = serializers.CharField()

    class Meta:
        model = Mou
        fields = "__all__"


class HashtagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hashtag
        fields = "__all__"


class CampaignSerializer(serializers.ModelSerializer):
    organisers = AgencySerializer(many=True)
    partners = PartnerCompanySerializer(many=True)
    hashtags = HashtagSerializer(many=True)
    mou = MouSerializer()

    class Meta:
        model = Campaign
        fields = "__all__"


class ChannelMetricSerializer(serializers.ModelSerializer):
    channel = ChannelSerializer()

    class Meta:
        model = ChannelMetric
        fields = "__all__"


class ChannelFilter(django_filters.FilterSet):
    """The real channel filters' meaning, written the obvious way: the roster through a join."""

    platform = django_filters.MultipleChoiceFilter(choices=Platform.choices)
    partner = django_filters.CharFilter(method="filter_roster")
    active_on = django_filters.DateFilter(method="filter_roster")
    kol = django_filters.CharFilter(field_name="kol__slug")
    agency = django_filters.CharFilter(field_name="agency__slug")
    min_followers = django_filters.NumberFilter(field_name="followers", lookup_expr="gte")
    max_followers = django_filters.NumberFilter(field_name="followers", lookup_expr="lte")

    class Meta:
        model = Channel
        fields = ("platform", "partner", "active_on", "kol", "agency", "min_followers", "max_followers")

    def filter_roster(self, queryset, name, value):
        data = self.form.cleaned_data
        if name == "active_on" and data.get("partner"):
            return queryset  # filtered with the partner
        membership = Q(memberships__partner__slug=data["partner"]) if data.get("partner") else Q()
        if data.get("active_on"):
            membership &= active_on_condition(data["active_on"], "memberships__")
        # One filter() call: both conditions hold on the same membership.
        return queryset.filter(membership).distinct()


class MouFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(method="filter_agency")
    include_children = django_filters.BooleanFilter(method="filter_include_children")
    active_on = django_filters.DateFilter(method="filter_active_on")

    class Meta:
        model = Mou
        fields = ("agency", "include_children", "active_on")

    def filter_agency(self, queryset, name, slug):
        agency = Agency.objects.get(slug=slug)
        if self.form.cleaned_data.get("include_children"):
            return queryset.filter(agency__in=agency.descendant_ids())
        return queryset.filter(agency=agency)

    def filter_include_children(self, queryset, name, value):
        return queryset

    def filter_active_on(self, queryset, name, day):
        return queryset.active_on(day)


class ChannelMetricFilter(django_filters.FilterSet):
    class Meta:
        model = ChannelMetric
        fields = ("channel",)


class NaiveViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = NaivePagination
    filter_backends = [DjangoFilterBackend, FoldedSearchFilter, filters.OrderingFilter]
    search_fields = ("search_text",)
    ordering_fields = "__all__"


class ChannelViewSet(NaiveViewSet):
    queryset = Channel.objects.all()
    serializer_class = ChannelSerializer
    filterset_class = ChannelFilter
    ordering = ("display_name", "id")


class KolViewSet(NaiveViewSet):
    queryset = Kol.objects.all()
    serializer_class = KolWithChannelsSerializer
    search_fields = ("search_text", "channels__search_text")
    ordering = ("name", "id")


class MouViewSet(NaiveViewSet):
    queryset = Mou.objects.all()
    serializer_class = MouSerializer
    filterset_class = MouFilter
    search_fields = ("search_text", "agency__search_text", "partner__search_text")
    ordering = ("title", "id")


class CampaignViewSet(NaiveViewSet):
    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer
    ordering = ("name", "id")


class ChannelMetricViewSet(NaiveViewSet):
    queryset = ChannelMetric.objects.all()
    serializer_class = ChannelMetricSerializer
    filterset_class = ChannelMetricFilter
    ordering = ("-id",)


router = SimpleRouter()
router.register("channels", ChannelViewSet, basename="naive-channel")
router.register("kols", KolViewSet, basename="naive-kol")
router.register("mous", MouViewSet, basename="naive-mou")
router.register("campaigns", CampaignViewSet, basename="naive-campaign")
router.register("channel-metrics", ChannelMetricViewSet, basename="naive-channelmetric")
