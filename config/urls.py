from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.api import TokenView
from accounts.views import LoginView
from config import views
from pages.api import wagtail_api_router
from pages.navigation_api import NavigationView

api_urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("v2/", wagtail_api_router.urls),
    path("navigation/", NavigationView.as_view(), name="api-navigation"),
    # Before members: it serves members/me/ with DELETE (account deletion) added.
    path("", include("privacy.api_urls")),
    path("", include("members.api_urls")),
    path("", include("events.api_urls")),
    path("", include("matchmaking.api_urls")),
    path("", include("forum.api_urls")),
    path("", include("search.api_urls")),
    path("", include("partnering.api_urls")),
    path("", include("awards.api_urls")),
]

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", include(api_urlpatterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.health, name="health"),
    path("", include("pages.urls")),
]

if settings.BENCH_CEILINGS:
    urlpatterns += [path("", include("bench.urls"))]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every HTML page in each language: English (the default) unprefixed, /de/, /fr/, /es/
# for the others. Wagtail's pages come last: they answer whatever path is left, so the
# event index stays at /events/ as the contract says.
urlpatterns += i18n_patterns(
    # allauth's sign-in, answering a locked account with 429 and Retry-After.
    path("accounts/login/", LoginView.as_view(), name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("styleguide/", views.styleguide, name="styleguide"),
    path("", include("privacy.urls")),
    path("", include("members.urls")),
    path("", include("events.urls")),
    path("", include("matchmaking.urls")),
    path("", include("forum.urls")),
    path("", include("search.urls")),
    path("", include("partnering.urls")),
    path("", include("awards.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
