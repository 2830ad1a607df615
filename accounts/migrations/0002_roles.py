"""Create the role groups (Ministry administrators, Ministry staff, Partner users) with their permissions."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from accounts.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("partners", "0002_search_trigram_indexes"),
        ("campaigns", "0002_search_trigram_indexes"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
