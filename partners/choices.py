"""Choices for the partners app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    ZALO = "zalo", "Zalo"
    WEIBO = "weibo", "Weibo"
    WEBSITE = "website", _("Website")
    OTHER = "other", _("Other or not stated")


class AgencyKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    DEPARTMENT = "department", _("Department or office")
    CENTER = "center", _("Center")
    PROVINCIAL = "provincial", _("Provincial body")
    UNION = "union", _("Union or association")
    PRESS = "press", _("Press organisation")
    OTHER = "other", _("Other")


class PartnerKind(models.TextChoices):
    CREATOR_NETWORK = "creator_network", _("Creator network")
    PLATFORM = "platform", _("Platform")
    MEDIA_COMPANY = "media_company", _("Media company")


class KolKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
    UNKNOWN = "unknown", _("Not stated")


class MouStatus(models.TextChoices):
    """Derived from an MOU's facts (see ``Mou``); never stored."""

    DRAFT = "draft", _("Draft (not signed)")
    SIGNED = "signed", _("Signed (not yet in force)")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class MouPersonRole(models.TextChoices):
    """A person's part in an MOU."""

    SIGNATORY = "signatory", _("Signatory")
    CONTACT = "contact", _("Contact person")
    PRESENT = "present", _("Present at the signing")


class MouSide(models.TextChoices):
    """Which party to an MOU a person acts for."""

    AGENCY = "agency", _("Agency")
    PARTNER = "partner", _("Partner company")


class MouAlertThreshold(models.TextChoices):
    """What an MOU alert is about (``manage.py mou_alerts``); the first three are deadlines, the last missing facts."""

    NOTICE = "notice", _("Notice period entered")
    EXPIRES_SOON = "expires_soon", _("Expires within 30 days")
    EXPIRED = "expired", _("Expired without a renewal")
    INCOMPLETE = "incomplete", _("Signed but missing dates or the signed document")
