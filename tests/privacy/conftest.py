import pytest


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings, tmp_path):
    """Exports go to a throwaway folder, never into the project's private-media/ (Django
    rebuilds its storages when STORAGES changes)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _fast_and_unthrottled(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.FORUM_POST_INTERVAL = 0
    settings.FORUM_DUPLICATE_WINDOW = 0
    settings.FORUM_NEW_ACCOUNT_DAILY_POSTS = 0
