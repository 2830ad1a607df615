"""pg_trgm GIN index on the campaigns' folded search column (PostgreSQL only)."""

from django.db import migrations

from kolregistry.db import PostgresOnlySQL, trigram_index_sql


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial"), ("partners", "0002_search_trigram_indexes")]

    operations = [PostgresOnlySQL(*trigram_index_sql("campaigns_campaign", "campaign_search_trgm"))]
