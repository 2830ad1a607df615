"""pg_trgm GIN indexes on the folded search columns (PostgreSQL only).

``search_text__contains`` becomes ``LIKE '%term%'``, which these indexes serve.
"""

from django.db import migrations

from kolregistry.db import PostgresOnlySQL, trigram_index_sql

TABLES = {
    "partners_agency": "agency_search_trgm",
    "partners_partnercompany": "partner_search_trgm",
    "partners_kol": "kol_search_trgm",
    "partners_channel": "channel_search_trgm",
    "partners_mou": "mou_search_trgm",
}


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [PostgresOnlySQL(*trigram_index_sql(table, name)) for table, name in TABLES.items()]
