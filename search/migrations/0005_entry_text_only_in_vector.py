"""On PostgreSQL an entry's text lives only in its vector (see ``search.models``).

Entries written before keep their three copies of the text until they are written again:
they are emptied here, and the trigram index on ``keywords``, which no search reads (typos
are looked up in the lexicon), is dropped. Run ``VACUUM FULL search_organisationindexentry``
afterwards on a large installation to give the freed space back.
"""

from django.db import migrations

SLIM = "UPDATE search_organisationindexentry SET topics = '', body = '', keywords = ''"


def slim_entries(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_entry_keywords_trgm")
    schema_editor.execute(f"{SLIM} WHERE vector IS NOT NULL")


def restore_index(apps, schema_editor):
    # The text itself comes back with the next `manage.py search_index --rebuild`.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS search_entry_keywords_trgm"
        " ON search_organisationindexentry USING gin (keywords gin_trgm_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0004_entry_facet_values")]

    operations = [migrations.RunPython(slim_entries, restore_index)]
