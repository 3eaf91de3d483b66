"""The site's settings for the test run (pytest's DJANGO_SETTINGS_MODULE).

One thing is chosen before the site's settings read the environment: each pytest-xdist
worker's Redis database (tests/workers.py). Everything else is the site's own settings.
"""

import tests.workers  # noqa: F401 - first: it sets REDIS_URL for this worker
from club.settings import *  # noqa: F403
