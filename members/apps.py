from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"

    def ready(self):
        from members import receivers  # noqa: F401 - connects the receivers
