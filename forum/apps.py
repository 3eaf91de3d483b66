from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"

    def ready(self):
        from forum import feed  # noqa: F401 - registers the forum's feed source
