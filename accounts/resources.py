"""Export-only sheets of users and their partner companies (see kolregistry/sheets.py); API tokens have none."""

from django.contrib.auth import get_user_model

from kolregistry.sheets import export_only_sheet

from .models import PartnerAccount

UserSheet = export_only_sheet("users", get_user_model())
PartnerAccountSheet = export_only_sheet("partner-accounts", PartnerAccount)
