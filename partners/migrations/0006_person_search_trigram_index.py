"""pg_trgm GIN index on people's folded search column (PostgreSQL only), as 0002 made for the others."""

from django.db import migrations

from kolregistry.db import PostgresOnlySQL, trigram_index_sql


class Migration(migrations.Migration):
    dependencies = [("partners", "0005_people")]

    operations = [PostgresOnlySQL(*trigram_index_sql("partners_person", "person_search_trgm"))]
