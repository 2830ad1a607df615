"""Choices for the campaigns app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentRole(models.TextChoices):
    CREATOR = "creator", _("Content creator")
    AMPLIFIER = "amplifier", _("Amplifier (shares and reposts)")
    HOST = "host", _("Host or livestreamer")
    AMBASSADOR = "ambassador", _("Ambassador")
    OTHER = "other", _("Other")


class AssignmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
