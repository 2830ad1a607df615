"""A stated fact's search_text holds its subject's names too (kolregistry.search)."""

from django.db import migrations

from kolregistry.search import rebuild_search_text


def rebuild(apps, schema_editor):
    rebuild_search_text(apps.get_model("campaigns", "StatedFact")._base_manager.all())


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0005_inferences_and_stated_facts"),
        ("partners", "0010_search_text_related_names_and_order_indexes"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
