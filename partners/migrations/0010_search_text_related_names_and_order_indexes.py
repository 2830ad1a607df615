"""search_text holds the related rows' names too (kolregistry.search); indexes for the API's default orders."""

import django.db.models.functions.comparison
from django.db import migrations, models

from kolregistry.db import PostgresOnlySQL
from kolregistry.search import rebuild_search_text

# Tables searched with LIKE on a long text: a bigger sample makes the planner's estimate of a term's rows good
# enough to choose between the trigram index and walking the ordering index.
SEARCHED_TABLES = ("partners_channel", "partners_kol", "partners_mou")


def rebuild(apps, schema_editor):
    for name in ("Kol", "Channel", "Mou"):
        rebuild_search_text(apps.get_model("partners", name)._base_manager.all())


def statistics_sql(target):
    return [f"ALTER TABLE {table} ALTER COLUMN search_text SET STATISTICS {target};" for table in SEARCHED_TABLES]


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0009_updated_at_indexes"),
    ]

    operations = [
        migrations.RunPython(rebuild, migrations.RunPython.noop),
        PostgresOnlySQL(statistics_sql(1000), statistics_sql(-1)),
        migrations.AddIndex(
            model_name="channel",
            index=models.Index(fields=["display_name", "id"], name="channel_display_name_id_idx"),
        ),
        migrations.AddIndex(
            model_name="channel",
            index=models.Index(
                django.db.models.functions.comparison.Coalesce("followers", models.Value(-1)),
                models.F("id"),
                name="channel_followers_rank_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="kol",
            index=models.Index(fields=["name", "id"], name="kol_name_id_idx"),
        ),
        migrations.AddIndex(
            model_name="mou",
            index=models.Index(fields=["title", "id"], name="mou_title_id_idx"),
        ),
    ]
