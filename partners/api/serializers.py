"""Serializers for agencies, partner companies, KOLs, channels, rosters, metrics, MOUs and their people."""

from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.reverse import reverse

from kolregistry.api.fields import BriefRelatedField
from kolregistry.api.serializers import RegistrySerializer
from partners.choices import MouStatus
from partners.models import (
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

TIMESTAMPS = ("created_at", "updated_at")


class AgencySerializer(RegistrySerializer):
    """A government body; ``parent`` places it in the agency tree."""

    parent = BriefRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Agency
        fields = (
            "id",
            "url",
            "display",
            "slug",
            "name",
            "name_vi",
            "acronym",
            "kind",
            "province",
            "parent",
            "website",
            "notes",
            "source_url",
            "inferences",
            *TIMESTAMPS,
        )


class PartnerCompanySerializer(RegistrySerializer):
    """A partner company: creator network, platform or media company."""

    class Meta:
        model = PartnerCompany
        fields = (
            "id",
            "url",
            "display",
            "slug",
            "short_name",
            "legal_name",
            "name_vi",
            "other_names",
            "kind",
            "tax_code",
            "website",
            "notes",
            "source_url",
            "inferences",
            *TIMESTAMPS,
        )


class KolSerializer(RegistrySerializer):
    """A KOL with both spellings of the name and the channels they own."""

    channels = BriefRelatedField(model=Channel, many=True, read_only=True)

    class Meta:
        model = Kol
        fields = (
            "id",
            "url",
            "display",
            "slug",
            "name",
            "name_en",
            "kind",
            "nationality",
            "channels",
            "notes",
            "source_url",
            "inferences",
            *TIMESTAMPS,
        )


class ChannelSerializer(RegistrySerializer):
    """A channel with its owner (KOL or agency) and its latest follower count.

    ``url`` is the API address, as on every object; the channel's own web address is ``channel_url``.
    """

    channel_url = serializers.URLField(source="url", max_length=500, required=False, allow_blank=True)
    kol = BriefRelatedField(queryset=Kol.objects.all(), required=False, allow_null=True)
    agency = BriefRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Channel
        fields = (
            "id",
            "url",
            "display",
            "platform",
            "display_name",
            "handle",
            "channel_url",
            "language",
            "launched_on",
            "kol",
            "agency",
            "followers",
            "followers_on",
            "notes",
            "source_url",
            "inferences",
            *TIMESTAMPS,
        )
        read_only_fields = ("followers", "followers_on")


class ChannelMetricSerializer(RegistrySerializer):
    """A dated snapshot of a channel's (or one post's) figures; whole-channel ones update its follower count."""

    channel = BriefRelatedField(queryset=Channel.objects.all())

    class Meta:
        model = ChannelMetric
        fields = (
            "id",
            "url",
            "display",
            "channel",
            "measured_on",
            "measured_on_approximate",
            "measured_on_as_stated",
            "subject",
            "followers",
            "likes",
            "views",
            "comments",
            "approximate",
            "source_url",
            "source_note",
            "inferences",
            *TIMESTAMPS,
        )


class RosterMembershipSerializer(RegistrySerializer):
    """A channel on a partner's roster for a period (an empty end date: still managed)."""

    channel = BriefRelatedField(queryset=Channel.objects.all())
    partner = BriefRelatedField(queryset=PartnerCompany.objects.all())

    class Meta:
        model = RosterMembership
        fields = (
            "id",
            "url",
            "display",
            "channel",
            "partner",
            "starts_on",
            "ends_on",
            "notes",
            "source_url",
            "inferences",
            *TIMESTAMPS,
        )


class MouSerializer(RegistrySerializer):
    """An MOU between an agency and a partner company; ``status`` is derived from the facts (see ``Mou``).

    ``signed`` may be true with no ``signed_on``: a source can say an MOU was signed without giving a date.
    """

    agency = BriefRelatedField(queryset=Agency.objects.all())
    partner = BriefRelatedField(queryset=PartnerCompany.objects.all())
    renews = BriefRelatedField(queryset=Mou.objects.all(), required=False, allow_null=True)
    kols = BriefRelatedField(queryset=Kol.objects.all(), many=True, required=False)
    channels = BriefRelatedField(queryset=Channel.objects.all(), many=True, required=False)
    status = serializers.ChoiceField(choices=MouStatus.choices, read_only=True)
    document = serializers.FileField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "The signed PDF's address, or null. It is uploaded (multipart/form-data) and removed at "
            "/api/v1/mous/{id}/document/, never written here."
        ),
    )
    # The id of a ministry staff member (validated by the model); hidden from partners (an internal field).
    responsible = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Mou
        fields = (
            "id",
            "url",
            "display",
            "reference",
            "title",
            "agency",
            "partner",
            "status",
            "signed",
            "signed_on",
            "signed_on_as_stated",
            "starts_on",
            "ends_on",
            "terminated_on",
            "termination_reason",
            "scope",
            "renews",
            "kols",
            "channels",
            "document",
            "notice_period_days",
            "responsible",
            "notes",
            "source_url",
            "inferences",
            *TIMESTAMPS,
        )

    def refused_read_only(self, data):
        """A ``document`` other than the one the MOU has is a 400 saying where files go.

        JSON cannot carry a file. The value a GET returns (the document's address, whatever its query
        string: S3 links are signed anew on every read) or null when there is none is accepted and ignored.
        """
        if "document" not in data:
            return {}
        value, current = data["document"], self.instance.document if self.instance is not None else None
        if not current and value in (None, ""):
            return {}
        if current and isinstance(value, str) and urlsplit(value).path == urlsplit(current.url).path:
            return {}
        if self.instance is not None:
            address = reverse("mou-document", kwargs={"pk": self.instance.pk})
        else:
            address = reverse("mou-list") + "{id}/document/"
        message = _(
            "The document cannot be written here: upload it as multipart/form-data with PUT %(address)s, "
            "or remove it with DELETE %(address)s."
        )
        return {"document": [message % {"address": address}]}


class MouDocumentSerializer(RegistrySerializer):
    """The body of ``PUT /api/v1/mous/{id}/document/``: the signed PDF, checked as the admin checks it."""

    document = serializers.FileField(help_text=_("The signed MOU as a PDF file."))

    class Meta:
        model = Mou
        fields = ("document",)


class PersonSerializer(RegistrySerializer):
    """Someone at an agency or a partner company; a partner sees ``email`` and ``phone`` of its own people only."""

    agency = BriefRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)
    partner = BriefRelatedField(queryset=PartnerCompany.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Person
        fields = (
            "id",
            "url",
            "display",
            "slug",
            "name",
            "name_en",
            "position",
            "agency",
            "partner",
            "email",
            "phone",
            "notes",
            "source_url",
            "inferences",
            *TIMESTAMPS,
        )


class MouPersonSerializer(RegistrySerializer):
    """A person's part in an MOU (signatory, contact person, present at the signing) and the side they act for."""

    mou = BriefRelatedField(queryset=Mou.objects.all())
    person = BriefRelatedField(queryset=Person.objects.all())

    class Meta:
        model = MouPerson
        fields = (
            "id",
            "url",
            "display",
            "mou",
            "person",
            "role",
            "side",
            "notes",
            "source_url",
            "inferences",
            *TIMESTAMPS,
        )
