"""The cycle's form in the Wagtail admin: phase times are local times of the cycle's own
time zone, not of the site's.

Django reads and shows a form's date-times in the active time zone (the site's,
Europe/Brussels). A cycle run from New York would otherwise get 09:00 stored as 09:00 in
Brussels. This form shows each phase's instants as local times of the cycle's zone and
cleans what comes back in that zone: the zone sent with the form if it is a valid one (an
editor who changes the zone means the times they see in it), else the cycle's stored one.
A local time that does not exist or happens twice there (a daylight-saving change) is
refused with Django's own message naming the zone.
"""

import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

PHASE_TIMES = ("starts", "ends")


def _zone(name: str | None):
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class AwardCycleAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        posted = self.data.get(self.add_prefix("time_zone")) if self.is_bound else None
        self.cycle_zone = (
            _zone(posted) or _zone(self.instance.time_zone) or zoneinfo.ZoneInfo(settings.TIME_ZONE)
        )
        phases = self.formsets.get("phases")
        for form in phases.forms if phases is not None else []:
            for name in PHASE_TIMES:
                value = form.initial.get(name)
                if value is not None and timezone.is_aware(value):
                    form.initial[name] = timezone.make_naive(value, self.cycle_zone)
                if name in form.fields:
                    form.fields[name].help_text = _("Local time in %(zone)s") % {
                        "zone": self.cycle_zone.key
                    }

    def is_valid(self):
        # The phase forms are cleaned here, with the formsets: their times are read in the
        # cycle's zone.
        with timezone.override(self.cycle_zone):
            return super().is_valid()
