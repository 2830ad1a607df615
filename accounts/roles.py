"""The roles, as Django groups with a fixed set of model permissions.

``ensure_roles`` (re)creates the groups and resets their permissions to exactly
what is defined here; the data migration and the demo loader both call it, and
a migration that adds a registry model should call it again.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

MINISTRY_ADMINISTRATORS = "Ministry administrators"
MINISTRY_STAFF = "Ministry staff"
PARTNER_USERS = "Partner users"
MINISTRY_ROLES = (MINISTRY_ADMINISTRATORS, MINISTRY_STAFF)

REGISTRY_APPS = ("partners", "campaigns")
ADMINISTERED_APPS = (*REGISTRY_APPS, "accounts")

# Staff may correct entered figures, stated facts, assignments and who is named in an MOU; removing registry
# entities (agencies, partners, KOLs, channels, memberships, MOUs, people, campaigns, hashtags) is for
# administrators.
STAFF_DELETES = (
    "delete_channelmetric",
    "delete_campaignreport",
    "delete_statedfact",
    "delete_assignment",
    "delete_mouperson",
)
# What a partner user may submit for their own channels and campaigns.
PARTNER_ADDS = ("add_channelmetric", "add_campaignreport")


def role_permissions(Permission):
    """``{group name: permission queryset}`` for every role."""
    administered = Permission.objects.filter(content_type__app_label__in=ADMINISTERED_APPS)
    # History tables are read through their object, so their own permissions stay with administrators.
    registry = administered.filter(content_type__app_label__in=REGISTRY_APPS).exclude(
        content_type__model__startswith="historical"
    )
    return {
        MINISTRY_ADMINISTRATORS: administered,
        MINISTRY_STAFF: registry.filter(codename__regex=r"^(view|add|change)_")
        | registry.filter(codename__in=STAFF_DELETES),
        PARTNER_USERS: registry.filter(codename__startswith="view_") | registry.filter(codename__in=PARTNER_ADDS),
    }


def ensure_roles(apps=global_apps):
    """Create the role groups and set their permissions; idempotent. ``apps`` may be a migration's state."""
    for label in ADMINISTERED_APPS:
        # Permissions are otherwise only created after the last migration has run.
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    for name, permissions in role_permissions(apps.get_model("auth", "Permission")).items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
