"""On PostgreSQL, a bigram index for searches by any part of a unit's name, two characters or more.

The trigram index (0002) cannot serve the commonest Chinese search, two characters such as 生物:
a pattern of two characters holds no whole trigram, so PostgreSQL read all 150,000 names. The
function lists the distinct lower-cased character pairs of a text; a name containing the search
text contains all of its pairs, so `portal_bigrams(name) @> portal_bigrams(text)` narrows the rows
through a GIN index before LIKE checks them (members/search.py). A pattern index on the credit code
serves the other half of the search (a code's beginning).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION portal_bigrams(text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(lower($1), i, 2)), '{}')
    FROM generate_series(1, char_length($1) - 1) AS i
$$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS unit_name_bigram_idx ON members_memberunit "
        "USING gin (portal_bigrams(name))"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS unit_credit_code_pattern_idx ON members_memberunit "
        "(credit_code varchar_pattern_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS unit_credit_code_pattern_idx")
    schema_editor.execute("DROP INDEX IF EXISTS unit_name_bigram_idx")
    schema_editor.execute("DROP FUNCTION IF EXISTS portal_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("members", "0004_unit_change")]
    operations = [migrations.RunPython(create, drop)]
