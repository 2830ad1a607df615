"""Give the roles their permissions on people and MOU people (accounts.roles: a new registry model needs this)."""

from django.db import migrations


def update_roles(apps, schema_editor):
    from accounts.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("partners", "0005_people"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
