from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"

    def ready(self):
        from forum import feed, site  # noqa: F401 - feed registers the forum's feed source

        site.register_parts()
