"""Serializers for hashtags, campaigns, assignments, campaign result reports and stated facts."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.models import Assignment, Campaign, CampaignReport, Hashtag, StatedFact
from kolregistry.api.errors import django_errors_to_drf
from kolregistry.api.fields import BriefRelatedField
from kolregistry.api.serializers import RegistrySerializer
from partners.choices import Platform
from partners.models import Agency, Channel, Kol, Mou, PartnerCompany

TIMESTAMPS = ("created_at", "updated_at")


class HashtagSerializer(RegistrySerializer):
    """A hashtag (stored without ``#``); its ``slug`` is the lower-case name."""

    slug = serializers.CharField(read_only=True)

    class Meta:
        model = Hashtag
        fields = ("id", "url", "display", "slug", "name", "notes", "source_url", "inferences", *TIMESTAMPS)


@extend_schema_field({"type": "array", "items": {"type": "string"}, "example": ["BanSacViet", "ProudVietnam"]})
class HashtagNamesField(serializers.ListField):
    """A campaign's hashtags as names: read and written as ``["BanSacViet", ...]``.

    Names are normalised (no ``#``) and matched without case; unknown ones are created on save.
    """

    child = serializers.CharField(max_length=100)

    def get_attribute(self, instance):
        return super().get_attribute(instance).all()

    def to_representation(self, hashtags):
        # An iterable of hashtags: the related manager's rows, or a list read as values (RowPlan).
        return [hashtag.name for hashtag in hashtags]

    def to_internal_value(self, data):
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            raise serializers.ValidationError(_('Give a list of hashtag names, e.g. ["BanSacViet"].'))
        names = {}
        for raw in data:
            hashtag = Hashtag(name=raw)
            try:
                # clean() normalises the name first, so "#" + 100 characters is still a valid tag.
                hashtag.clean()
                hashtag.clean_fields(exclude=[field.name for field in Hashtag._meta.fields if field.name != "name"])
            except DjangoValidationError as error:
                raise serializers.ValidationError(django_errors_to_drf(error)["name"]) from error
            names.setdefault(hashtag.name.lower(), hashtag.name)
        return list(names.values())


def hashtags_named(names):
    """The Hashtag rows for ``names``, creating the ones that do not exist yet."""
    existing = {
        hashtag.name.lower(): hashtag
        for hashtag in Hashtag.objects.annotate(lower_name=Lower("name")).filter(
            lower_name__in=[name.lower() for name in names]
        )
    }
    return [existing.get(name.lower()) or Hashtag.objects.create(name=name) for name in names]


class PlatformListField(serializers.MultipleChoiceField):
    """Platforms as a sorted JSON list; an unknown one is a flat ``["message"]`` error."""

    def __init__(self, **kwargs):
        super().__init__(choices=Platform.choices, **kwargs)

    def to_internal_value(self, data):
        return sorted(super().to_internal_value(data))

    def to_representation(self, value):
        return list(value)


class CampaignSerializer(RegistrySerializer):
    """A hashtag campaign with its organisers, partners, MOU, hashtags and platforms."""

    organisers = BriefRelatedField(queryset=Agency.objects.all(), many=True, required=False)
    partners = BriefRelatedField(queryset=PartnerCompany.objects.all(), many=True, required=False)
    mou = BriefRelatedField(queryset=Mou.objects.all(), required=False, allow_null=True)
    hashtags = HashtagNamesField(required=False)
    platforms = PlatformListField(required=False)

    class Meta:
        model = Campaign
        fields = (
            "id",
            "url",
            "display",
            "slug",
            "name",
            "name_vi",
            "starts_on",
            "ends_on",
            "organisers",
            "partners",
            "mou",
            "hashtags",
            "platforms",
            "description",
            "notes",
            "source_url",
            "inferences",
            *TIMESTAMPS,
        )

    def create(self, validated_data):
        if "hashtags" in validated_data:
            validated_data["hashtags"] = hashtags_named(validated_data["hashtags"])
        return super().create(validated_data)

    def update(self, instance, validated_data):
        if "hashtags" in validated_data:
            validated_data["hashtags"] = hashtags_named(validated_data["hashtags"])
        return super().update(instance, validated_data)


class AssignmentSerializer(RegistrySerializer):
    """A channel's part in a campaign."""

    campaign = BriefRelatedField(queryset=Campaign.objects.all())
    channel = BriefRelatedField(queryset=Channel.objects.all())

    class Meta:
        model = Assignment
        fields = (
            "id",
            "url",
            "display",
            "campaign",
            "channel",
            "role",
            "status",
            "starts_on",
            "ends_on",
            "videos_planned",
            "deliverables",
            "notes",
            "source_url",
            "inferences",
            *TIMESTAMPS,
        )


class CampaignReportSerializer(RegistrySerializer):
    """Reach figures one source reported for a campaign (optionally one hashtag).

    ``platforms`` lists every platform one set of figures covers: two or more means combined figures.
    """

    campaign = BriefRelatedField(queryset=Campaign.objects.all())
    hashtag = BriefRelatedField(queryset=Hashtag.objects.all(), required=False, allow_null=True)
    platforms = PlatformListField(required=False)
    combined = serializers.BooleanField(read_only=True)

    class Meta:
        model = CampaignReport
        fields = (
            "id",
            "url",
            "display",
            "campaign",
            "hashtag",
            "platforms",
            "combined",
            "reported_on",
            "reported_on_approximate",
            "reported_on_as_stated",
            "period_starts_on",
            "period_ends_on",
            *CampaignReport.FIGURE_FIELDS,
            "approximate",
            "source_note",
            "notes",
            "source_url",
            "inferences",
            *TIMESTAMPS,
        )


class StatedFactSerializer(RegistrySerializer):
    """A figure as a source states it, about exactly one agency, partner, KOL, channel, MOU or campaign."""

    agency = BriefRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)
    partner = BriefRelatedField(queryset=PartnerCompany.objects.all(), required=False, allow_null=True)
    kol = BriefRelatedField(queryset=Kol.objects.all(), required=False, allow_null=True)
    channel = BriefRelatedField(queryset=Channel.objects.all(), required=False, allow_null=True)
    mou = BriefRelatedField(queryset=Mou.objects.all(), required=False, allow_null=True)
    campaign = BriefRelatedField(queryset=Campaign.objects.all(), required=False, allow_null=True)

    class Meta:
        model = StatedFact
        fields = (
            "id",
            "url",
            "display",
            *StatedFact.SUBJECTS,
            "measure",
            "value",
            "approximate",
            "as_stated",
            "stated_on",
            "source_note",
            "notes",
            "source_url",
            "inferences",
            *TIMESTAMPS,
        )
