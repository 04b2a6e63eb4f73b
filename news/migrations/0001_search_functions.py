from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

# An IMMUTABLE wrapper of unaccent, so it can be used in the generated search column and
# its GIN index (unaccent itself is only STABLE, because its dictionary could change).
CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""


class Migration(migrations.Migration):
    dependencies = []
    operations = [
        UnaccentExtension(),
        migrations.RunSQL(CREATE_FUNCTION, "DROP FUNCTION IF EXISTS portal_unaccent(text);"),
    ]
