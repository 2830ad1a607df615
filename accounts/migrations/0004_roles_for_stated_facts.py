"""Give the role groups their permissions on the new stated facts (accounts/roles.py: run again per new model)."""

from django.db import migrations


def update_roles(apps, schema_editor):
    from accounts.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_roles_for_people"),
        ("campaigns", "0005_inferences_and_stated_facts"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
