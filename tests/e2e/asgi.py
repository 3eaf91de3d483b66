"""The site's ASGI application plus static files, for the browser tests' live server.

In development daphne's runserver serves /static/ and in production the reverse proxy
(or WhiteNoise) does; a bare daphne does neither, so the live server wraps the site the
way channels' own live-server test case does.
"""

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

from config.asgi import application as site_application

site_with_static = ASGIStaticFilesHandler(site_application)


async def application(scope, receive, send):
    # Each transactional test ends with a flush, after which post_migrate recreates the
    # content types under new ids. The server outlives the tests, so a cached id would be
    # stale (Wagtail's reference index then breaks a foreign key on the next save).
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    return await site_with_static(scope, receive, send)
