from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The editorial pages: home, news, calls, documents, standard pages.

    The label stays "club", the name these pages were first stored under: page content
    types, permissions, table names and migrations keep it, so existing sites need no data
    migration.
    """

    name = "pages"
    label = "club"
    verbose_name = "Pages"

    def ready(self):
        from pages.page_cache import connect_receivers

        connect_receivers()
