"""The site's ASGI application plus static files, for the browser tests' live server.

In development daphne's runserver serves /static/ and in production the reverse proxy
(or WhiteNoise) does; a bare daphne does neither, so the live server wraps the site the
way channels' own live-server test case does.
"""

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

from club.asgi import application as site_application

application = ASGIStaticFilesHandler(site_application)
