"""JSON API of the awards: the published cycles (with their categories, criteria and phases)
and the laureates. Applying, the jury and scoring are HTML only; nothing here shows an
application or a score."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from awards.models import AwardCategory, AwardCycle, AwardPhase, Criterion, Laureate
from webapi.conventions import StrictQueryParamsMixin


class AwardPhaseSerializer(serializers.ModelSerializer):
    starts = serializers.SerializerMethodField()
    ends = serializers.SerializerMethodField()

    class Meta:
        model = AwardPhase
        fields = ["kind", "starts", "ends"]

    def get_starts(self, phase) -> str:
        """In the cycle's time zone."""
        return phase.starts.astimezone(phase.cycle.tzinfo).isoformat()

    def get_ends(self, phase) -> str:
        return phase.ends.astimezone(phase.cycle.tzinfo).isoformat()


class AwardCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardCategory
        fields = ["id", "name", "description"]


class AwardCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["name", "description", "weight"]


class AwardCycleSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    current_phase = serializers.SerializerMethodField()
    categories = AwardCategorySerializer(many=True, read_only=True)
    criteria = AwardCriterionSerializer(many=True, read_only=True)
    phases = AwardPhaseSerializer(many=True, read_only=True)
    eligible_countries = serializers.SerializerMethodField()

    class Meta:
        model = AwardCycle
        fields = [
            "id",
            "title",
            "slug",
            "year",
            "laureate_title",
            "description",
            "time_zone",
            "current_phase",
            "require_label",
            "require_cluster_manager",
            "eligible_countries",
            "blind",
            "categories",
            "criteria",
            "phases",
            "announced_at",
            "url",
        ]

    def get_url(self, cycle) -> str:
        return self.context["request"].build_absolute_uri(cycle.get_absolute_url())

    def get_current_phase(self, cycle) -> str | None:
        return cycle.current_phase()

    def get_eligible_countries(self, cycle) -> list[str]:
        return cycle.country_codes()


class LaureateSerializer(serializers.ModelSerializer):
    # Null for laureates of editions from before the site ran the award (the archive).
    cycle = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    category = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    organisation = serializers.SerializerMethodField()
    news_url = serializers.SerializerMethodField()

    class Meta:
        model = Laureate
        fields = [
            "id",
            "title",
            "year",
            "name",
            "cycle",
            "category",
            "organisation",
            "announced_on",
            "news_url",
        ]

    def get_organisation(self, laureate) -> dict | None:
        """The organisation's name, and its slug while it is published."""
        organisation = laureate.organisation
        slug = organisation.slug if organisation and organisation.is_published else None
        return {"name": laureate.organisation_name, "slug": slug}

    def get_news_url(self, laureate) -> str | None:
        page = laureate.news_page
        if page is None or not page.live:
            return None
        return page.get_full_url(self.context["request"])


@extend_schema(summary="Published award cycles, newest first")
class CycleListView(StrictQueryParamsMixin, generics.ListAPIView):
    """Published cycles with their categories, weighted criteria and phases (times in the
    cycle's time zone)."""

    serializer_class = AwardCycleSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return AwardCycle.objects.published().prefetch_related(
            "categories", "criteria", "phases__cycle"
        )


@extend_schema(summary="Laureates of every edition, newest first")
class LaureateListView(StrictQueryParamsMixin, generics.ListAPIView):
    serializer_class = LaureateSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return Laureate.objects.select_related("cycle", "category", "organisation", "news_page")
