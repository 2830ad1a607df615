"""Per-resource cases for the generic API tests (tests/test_api_crud.py): partners resources."""

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
from tests.factories import (
    AgencyFactory,
    ChannelFactory,
    ChannelMetricFactory,
    KolFactory,
    MouFactory,
    MouPersonFactory,
    PartnerCompanyFactory,
    PersonFactory,
    RosterMembershipFactory,
)

SOURCE = "https://baoquangninh.vn/bao-chi-truyen-thong-tren-mang-xa-hoi-dinh-huong-nhanh-nhay-lan-toa-3360233.html"


# Each resource: (path, model, factory, payload for POST/PUT, PATCH, invalid payload and the field it names).
def agency_case():
    parent = AgencyFactory()
    payload = {
        "name": "Quang Ninh Provincial Media Center",
        "acronym": "QMG",
        "kind": "provincial",
        "province": "Quảng Ninh",
        "slug": "qmg",
        "parent": parent.pk,
    }
    return payload, {"acronym": "QMG2"}, {**payload, "kind": "galaxy"}, "kind"


def partner_case():
    payload = {
        "short_name": "SChannel",
        "legal_name": "SChannel Advertising and Communication Services Joint Stock Company",
        "kind": "creator_network",
        "slug": "schannel",
    }
    return payload, {"other_names": "Schannel Network"}, {**payload, "tax_code": "12345"}, "tax_code"


def kol_case():
    payload = {"name": "Quách Beem", "name_en": "Quach Beem", "kind": "person", "slug": "quach-beem"}
    return payload, {"nationality": "VN"}, {**payload, "nationality": "Lao"}, "nationality"


def channel_case():
    payload = {"platform": "tiktok", "display_name": "Quách Beem", "handle": "@QuachBeem", "kol": KolFactory().pk}
    invalid = {**payload, "agency": AgencyFactory().pk}
    return payload, {"language": "vi"}, invalid, "agency"


def membership_case():
    payload = {
        "channel": ChannelFactory().pk,
        "partner": PartnerCompanyFactory().pk,
        "starts_on": "2020-12-14",
    }
    return payload, {"ends_on": "2025-12-31"}, {**payload, "ends_on": "2019-01-01"}, "ends_on"


def metric_case():
    payload = {"channel": ChannelFactory().pk, "measured_on": "2022-01-01", "followers": 144000, "source_url": SOURCE}
    invalid = {**payload, "source_url": "", "source_note": ""}
    return payload, {"likes": 136000}, invalid, "source_url"


def mou_case():
    payload = {
        "title": "SChannel KOL communication MOU 2024\u20132027",
        "agency": AgencyFactory().pk,
        "partner": PartnerCompanyFactory().pk,
        "starts_on": "2024-01-01",
        "ends_on": "2027-12-31",
        "kols": [KolFactory().pk],
        "channels": [ChannelFactory().pk],
    }
    return payload, {"scope": "Content on vietnam.vn"}, {**payload, "ends_on": "2023-01-01"}, "ends_on"


def person_case():
    payload = {
        "name": "Trần Hoàng",
        "name_en": "Tran Hoang",
        "position": "Director of the Copyright Office",
        "agency": AgencyFactory().pk,
        "email": "tran.hoang@example.test",
        "phone": "+84 24 3943 6795",
        "slug": "tran-hoang",
    }
    return payload, {"position": "Deputy Director"}, {**payload, "partner": PartnerCompanyFactory().pk}, "partner"


def mou_person_case():
    mou = MouFactory()
    payload = {
        "mou": mou.pk,
        "person": PersonFactory(partner=mou.partner).pk,
        "role": "signatory",
        "side": "partner",
        "source_url": SOURCE,
    }
    return payload, {"role": "contact"}, {**payload, "side": "agency"}, "side"


RESOURCES = {
    "agencies": (Agency, AgencyFactory, agency_case),
    "partners": (PartnerCompany, PartnerCompanyFactory, partner_case),
    "kols": (Kol, KolFactory, kol_case),
    "channels": (Channel, ChannelFactory, channel_case),
    "memberships": (RosterMembership, RosterMembershipFactory, membership_case),
    "channel-metrics": (ChannelMetric, ChannelMetricFactory, metric_case),
    "mous": (Mou, MouFactory, mou_case),
    "people": (Person, PersonFactory, person_case),
    "mou-people": (MouPerson, MouPersonFactory, mou_person_case),
}
