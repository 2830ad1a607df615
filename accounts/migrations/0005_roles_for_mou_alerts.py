"""Give the role groups their permissions on the new MOU alerts (accounts/roles.py: run again per new model)."""

from django.db import migrations


def update_roles(apps, schema_editor):
    from accounts.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_roles_for_stated_facts"),
        ("partners", "0008_mou_notice_period_responsible_and_alerts"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
