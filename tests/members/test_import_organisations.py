"""manage.py import_organisations: validate everything, import all or nothing, idempotent."""

import json

import pytest
from django.core.management import CommandError, call_command

from members.models import Organisation, Sector
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db

CSV_HEADER = (
    "eccp_id,name,country,kind,city,website,sectors,technologies,members_sme,"
    "year_founded,eccp_url,eccp_validation\n"
)
GOOD_CSV = CSV_HEADER + (
    "DK-100,Robotics Cluster Denmark,DK,cluster_organisation,Odense,https://robo.dk,"
    "Digital industries;Mobility,Robotics;Drones,120,2008,"
    "https://clustercollaboration.eu/cluster-organisations/robotics,validated\n"
    'EE-200,"Baltic ICT, Tallinn",ee,support_agency,Tallinn,,,AI,5,,,\n'
)


@pytest.fixture(autouse=True)
def sectors(db):
    Sector.objects.create(name="Digital industries", slug="digital-industries")
    Sector.objects.create(name="Mobility", slug="mobility")


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def run(path, **kwargs):
    return call_command("import_organisations", path, verbosity=0, **kwargs)


def snapshot():
    return [
        (
            o.eccp_id,
            o.name,
            o.slug,
            str(o.country),
            o.kind,
            o.members_sme,
            o.year_founded,
            sorted(s.slug for s in o.sectors.all()),
            sorted(o.technology_names()),
            o.updated,
        )
        for o in Organisation.objects.order_by("eccp_id")
    ]


def test_a_good_csv_file_creates_the_organisations(tmp_path, capsys):
    run(write(tmp_path, "eccp.csv", GOOD_CSV))

    robotics = Organisation.objects.get(eccp_id="DK-100")
    assert robotics.name == "Robotics Cluster Denmark"
    assert robotics.slug == "robotics-cluster-denmark"
    assert robotics.city == "Odense"
    assert robotics.members_sme == 120
    assert robotics.year_founded == 2008
    assert robotics.eccp_validation == "validated"
    assert sorted(s.slug for s in robotics.sectors.all()) == ["digital-industries", "mobility"]
    assert sorted(robotics.technology_names()) == ["Drones", "Robotics"]
    baltic = Organisation.objects.get(eccp_id="EE-200")
    assert str(baltic.country) == "EE"
    assert baltic.kind == "support_agency"
    assert baltic.year_founded is None
    assert "2 created, 0 updated, 0 unchanged" in capsys.readouterr().out


def test_running_the_same_file_twice_changes_nothing(tmp_path, capsys):
    path = write(tmp_path, "eccp.csv", GOOD_CSV)
    run(path)
    before = snapshot()

    run(path)

    assert snapshot() == before
    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out


def test_a_changed_row_updates_the_organisation_matched_by_eccp_id(tmp_path, capsys):
    run(write(tmp_path, "eccp.csv", GOOD_CSV))
    slug = Organisation.objects.get(eccp_id="DK-100").slug

    run(write(tmp_path, "eccp2.csv", GOOD_CSV.replace("Robotics Cluster Denmark", "RoboCluster")))

    robotics = Organisation.objects.get(eccp_id="DK-100")
    assert robotics.name == "RoboCluster"
    assert robotics.slug == slug
    assert Organisation.objects.count() == 2
    assert "0 created, 1 updated, 1 unchanged" in capsys.readouterr().out


def test_bad_rows_are_reported_with_line_numbers_and_nothing_is_imported(tmp_path, capsys):
    content = CSV_HEADER + (
        "DK-1,Good One,DK,,,,,,,,,\n"
        "DK-2,Bad Country,XX,,,,,,,,,\n"
        "DK-3,Bad Sector,DK,,,,Space Mining,,,,,\n"
        'DK-4,"Multi\nline name",DK,,,,,,,,,\n'
        "DK-5,Bad Count,DK,,,,,,-3,1700,https://example.org/x,\n"
        "DK-1,Duplicate,DK,,,,,,,,,\n"
        ",No Identifier,DK,,,,,,,,,\n"
    )

    with pytest.raises(CommandError, match="5 of 7 row"):
        run(write(tmp_path, "eccp.csv", content))

    assert Organisation.objects.count() == 0
    err = capsys.readouterr().err
    assert "line 3: country" in err
    assert "line 4: sectors: unknown sector “Space Mining”" in err
    assert "line 5" not in err  # the multi-line record starting on line 5 is valid
    line_7 = next(line for line in err.splitlines() if line.startswith("line 7:"))
    assert "members_sme" in line_7
    assert "year_founded" in line_7
    assert "eccp_url" in line_7
    assert "line 8: eccp_id: DK-1 is also on line 2" in err
    assert "line 9: eccp_id: required" in err


def test_a_good_json_export_imports_like_csv(tmp_path, capsys):
    export = {
        "source": "ECCP",
        "exported_at": "2026-11-01",
        "organisations": [
            {
                "eccp_id": "NO-7",
                "name": "Ocean Tech",
                "country": "NO",
                "kind": "Cluster network",
                "sectors": ["mobility"],
                "technologies": ["Offshore wind"],
                "value_chains": ["Blue economy"],
                "members_research": 4,
            }
        ],
    }
    path = write(tmp_path, "eccp.json", json.dumps(export, indent=2))

    run(path)
    run(path)

    ocean = Organisation.objects.get(eccp_id="NO-7")
    assert ocean.kind == "cluster_network"
    assert ocean.members_research == 4
    assert ocean.value_chain_names() == ["Blue economy"]
    assert "0 created, 0 updated, 1 unchanged" in capsys.readouterr().out


def test_bad_json_objects_are_reported_with_the_line_they_start_on(tmp_path, capsys):
    content = """[
  {"eccp_id": "A-1", "name": "Fine", "country": "DE"},
  {"eccp_id": "A-2",
   "name": "No country"},
  {"eccp_id": "A-3", "name": "Bad", "country": "DE", "colour": "red"},
  42
]"""
    with pytest.raises(CommandError, match="3 of 4"):
        run(write(tmp_path, "eccp.json", content))

    err = capsys.readouterr().err
    assert "line 3: country: required" in err
    assert "line 5: unknown key(s) colour" in err
    assert "item 4 is not an object" in err
    assert Organisation.objects.count() == 0


def test_a_slug_owned_by_another_organisation_is_a_bad_row(tmp_path, capsys):
    make_organisation(name="Taken", slug="taken", eccp_id="OTHER")
    content = CSV_HEADER.replace("eccp_id,", "eccp_id,slug,") + "X-1,taken,Taken,DK,,,,,,,,,\n"

    with pytest.raises(CommandError):
        run(write(tmp_path, "eccp.csv", content))

    assert "line 2: slug" in capsys.readouterr().err


def test_a_new_organisation_whose_name_slug_is_taken_gets_a_deterministic_slug(tmp_path):
    make_organisation(name="Wood", slug="wood", eccp_id="OTHER")
    path = write(tmp_path, "eccp.csv", "eccp_id,name,country\nAT-9,Wood,AT\n")

    run(path)
    run(path)

    assert Organisation.objects.get(eccp_id="AT-9").slug == "wood-at-9"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "no such file"),
        ("export.xml", "<xml/>", "use a .csv or .json file"),
        ("empty.csv", "  \n", "is empty"),
        ("broken.json", '{"organisations": [', "invalid JSON"),
        ("scalar.json", '"hello"', "must be a JSON list"),
        ("header.csv", "eccp_id,name,country,colour\n", r"unknown column\(s\) colour"),
        ("required.csv", "eccp_id,name\n", r"missing column\(s\) country"),
        ("header-only.csv", "eccp_id,name,country\n", "holds no organisations"),
    ],
)
def test_an_unreadable_file_is_a_one_line_command_error(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message) as error:
        run(str(path))

    assert "\n" not in str(error.value)


def test_a_file_that_is_not_utf8_is_a_command_error(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("eccp_id,name,country\nX-1,Zürich Cluster,CH\n".encode("latin-1"))

    with pytest.raises(CommandError, match="not UTF-8"):
        run(str(path))


def test_a_directory_is_a_command_error(tmp_path):
    folder = tmp_path / "dir.csv"
    folder.mkdir()
    with pytest.raises(CommandError, match="directory"):
        run(str(folder))


def test_dry_run_validates_without_writing(tmp_path, capsys):
    run(write(tmp_path, "eccp.csv", GOOD_CSV), dry_run=True)

    assert Organisation.objects.count() == 0
    assert "2 row(s) are valid" in capsys.readouterr().out


def test_the_command_shows_a_progress_bar(tmp_path, capsys):
    call_command("import_organisations", write(tmp_path, "eccp.csv", GOOD_CSV))
    assert "Importing" in capsys.readouterr().err
