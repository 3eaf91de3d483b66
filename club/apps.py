from django.apps import AppConfig


class ClubConfig(AppConfig):
    name = "club"
    verbose_name = "Cluster Club"

    def ready(self):
        from club.page_cache import connect_receivers

        connect_receivers()
