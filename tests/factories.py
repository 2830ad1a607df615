"""factory_boy factories for every model; defaults are realistic and valid."""

import datetime

import factory
from django.contrib.auth import get_user_model

from campaigns.choices import AssignmentRole, AssignmentStatus
from campaigns.models import Assignment, Campaign, CampaignReport, Hashtag, StatedFact
from partners.choices import AgencyKind, KolKind, MouPersonRole, MouSide, PartnerKind, Platform
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

SOURCE = "https://vtcnews.vn/day-manh-truyen-thong-kol-de-quang-ba-hinh-anh-dat-nuoc-ar896867.html"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password("test-password-123")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Provincial Media Center {n}")
    name_vi = factory.Sequence(lambda n: f"Trung tâm Truyền thông tỉnh {n}")
    kind = AgencyKind.CENTER
    slug = factory.Sequence(lambda n: f"agency-{n}")


class PartnerCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerCompany

    legal_name = factory.Sequence(lambda n: f"Creator Network {n} Joint Stock Company")
    short_name = factory.Sequence(lambda n: f"Network {n}")
    kind = PartnerKind.CREATOR_NETWORK
    slug = factory.Sequence(lambda n: f"partner-{n}")


class KolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kol

    name = factory.Sequence(lambda n: f"Nhà sáng tạo {n}")
    name_en = factory.Sequence(lambda n: f"Creator {n}")
    kind = KolKind.PERSON
    slug = factory.Sequence(lambda n: f"kol-{n}")


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    platform = Platform.TIKTOK
    display_name = factory.Sequence(lambda n: f"Kênh {n}")
    handle = factory.Sequence(lambda n: f"channel{n}")
    kol = factory.SubFactory(KolFactory)


class ChannelMetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChannelMetric

    channel = factory.SubFactory(ChannelFactory)
    measured_on = datetime.date(2025, 1, 1)
    followers = 1000
    source_url = SOURCE


class RosterMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RosterMembership

    channel = factory.SubFactory(ChannelFactory)
    partner = factory.SubFactory(PartnerCompanyFactory)
    starts_on = datetime.date(2024, 1, 1)


class MouFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mou

    title = factory.Sequence(lambda n: f"MOU on KOL communication {n}")
    agency = factory.SubFactory(AgencyFactory)
    partner = factory.SubFactory(PartnerCompanyFactory)
    signed = True
    starts_on = datetime.date(2024, 1, 1)
    ends_on = datetime.date(2027, 12, 31)


class PersonFactory(factory.django.DjangoModelFactory):
    """A partner company's employee by default; pass ``agency=...`` and ``partner=None`` for an official."""

    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    name_en = factory.Sequence(lambda n: f"Nguyen Van {n}")
    position = "Director"
    partner = factory.SubFactory(PartnerCompanyFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.test")
    phone = "+84 24 3943 6795"
    slug = factory.Sequence(lambda n: f"person-{n}")


class MouPersonFactory(factory.django.DjangoModelFactory):
    """The MOU's signatory for the partner side, working for the MOU's partner company."""

    class Meta:
        model = MouPerson

    mou = factory.SubFactory(MouFactory)
    person = factory.SubFactory(PersonFactory, partner=factory.SelfAttribute("..mou.partner"))
    role = MouPersonRole.SIGNATORY
    side = MouSide.PARTNER


class HashtagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hashtag

    name = factory.Sequence(lambda n: f"Hashtag{n}")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    starts_on = datetime.date(2025, 9, 1)
    ends_on = datetime.date(2025, 9, 30)
    platforms = factory.LazyFunction(lambda: [Platform.TIKTOK])


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    campaign = factory.SubFactory(CampaignFactory)
    channel = factory.SubFactory(ChannelFactory)
    role = AssignmentRole.CREATOR
    status = AssignmentStatus.PLANNED


class CampaignReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignReport

    campaign = factory.SubFactory(CampaignFactory)
    platforms = factory.LazyFunction(lambda: [Platform.TIKTOK])
    reported_on = datetime.date(2025, 9, 30)
    views = 1_000_000
    source_url = SOURCE


class StatedFactFactory(factory.django.DjangoModelFactory):
    """A fact about a campaign; pass ``campaign=None`` with another subject for a fact about that."""

    class Meta:
        model = StatedFact

    campaign = factory.SubFactory(CampaignFactory)
    measure = "concurrent viewers of the livestream"
    value = 11_000
    approximate = True
    as_stated = "nearly 11,000"
    source_url = SOURCE
