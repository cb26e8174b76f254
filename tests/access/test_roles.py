"""The role file: a valid file, every kind of mistake (named with file, entry and line), areas."""

from __future__ import annotations

from pathlib import Path

import pytest

from iro_metrics.access.roles import RoleFileError, parse_role_file, read_role_file

PATH = Path("/srv/iro/roles.toml")

VALID = """\
# Who may use the explorer
[[user]]
email = "Amira.Khan@Council.gov.uk"
role = "importer"

[[user]]
email = "sam.jones@council.gov.uk"
role = "analyst"
name = "Sam Jones"

[[user]]
email = "area.manager@council.gov.uk"
role = "viewer"
areas = ["West Kent", "East Kent", "East Kent"]

[[user]]
email = "director@council.gov.uk"
role = "viewer"
"""


def test_a_valid_file_gives_each_person_their_role():
    roles = parse_role_file(VALID, PATH)
    assert sorted(roles.grants) == [
        "amira.khan@council.gov.uk",
        "area.manager@council.gov.uk",
        "director@council.gov.uk",
        "sam.jones@council.gov.uk",
    ]
    importer = roles.grant_for("AMIRA.KHAN@council.gov.uk ")  # case and spaces do not matter
    assert (importer.role, importer.areas) == ("importer", ())
    assert [importer.may(a) for a in ("view", "download", "briefing", "import", "delete", "audit")] == [True] * 6
    analyst = roles.grant_for("sam.jones@council.gov.uk")
    assert [analyst.may(a) for a in ("view", "download", "briefing", "import", "delete", "audit")] == [
        True, True, True, False, False, False,
    ]  # fmt: skip
    director = roles.grant_for("director@council.gov.uk")
    assert not director.restricted
    assert [director.may(a) for a in ("view", "download", "briefing", "import")] == [True, False, False, False]
    assert roles.grant_for("stranger@council.gov.uk") is None
    assert roles.grant_for(None) is None


def test_an_area_restricted_viewer_sees_only_their_areas():
    viewer = parse_role_file(VALID, PATH).grant_for("area.manager@council.gov.uk")
    assert viewer.restricted
    assert viewer.areas == ("East Kent", "West Kent")  # sorted, the repeat dropped
    offered = ["16+ Service", "East Kent", "North Kent", "South Kent", "West Kent"]
    assert viewer.visible_areas(offered) == ["East Kent", "West Kent"]
    assert viewer.description == "viewer (East Kent, West Kent and the council total)"
    assert not viewer.may("download")


def test_read_role_file_names_a_missing_file(tmp_path: Path):
    with pytest.raises(RoleFileError, match=r"roles\.toml: the role file does not exist"):
        read_role_file(tmp_path / "roles.toml")


def test_read_role_file_reads_a_good_file(tmp_path: Path):
    (tmp_path / "roles.toml").write_text(VALID, encoding="utf-8")
    assert len(read_role_file(tmp_path / "roles.toml").grants) == 4


MALFORMED = [
    ('[[user]]\nemail = "a@b.gov.uk\nrole = "viewer"\n', r"/srv/iro/roles\.toml: not valid TOML: .*line 2"),
    ("", r"/srv/iro/roles\.toml: no \[\[user\]\] entries, so nobody"),
    ('[admin]\nemail = "a@b.gov.uk"\n', r"/srv/iro/roles\.toml: unknown section or key 'admin'"),
    ('user = "a@b.gov.uk"\n', r"'user' must be written as \[\[user\]\] tables"),
    (
        '[[user]]\nemail = "a@b.gov.uk"\nrole = "viewer"\n\n[[user]]\nrole = "analyst"\n',
        r"/srv/iro/roles\.toml: entry 2 \(line 5\): 'email' is missing",
    ),
    ('[[user]]\nemail = "not-an-address"\nrole = "viewer"\n', r"entry 1 \(line 1\): 'email' 'not-an-address' is not"),
    (
        '[[user]]\nemail = "a@b.gov.uk"\nrole = "admin"\n',
        r"entry 1 \(line 1\) \(a@b\.gov\.uk\): 'role' 'admin' is not a role; use one of viewer, analyst, importer",
    ),
    ('[[user]]\nemail = "a@b.gov.uk"\n', r"entry 1 \(line 1\) \(a@b\.gov\.uk\): 'role' missing"),
    (
        '[[user]]\nemail = "a@b.gov.uk"\nrole = "analyst"\nareas = ["East Kent"]\n',
        r"'areas' can be set only for a viewer; an analyst sees every area",
    ),
    ('[[user]]\nemail = "a@b.gov.uk"\nrole = "viewer"\nareas = []\n', r"'areas' must be a list of area names"),
    ('[[user]]\nemail = "a@b.gov.uk"\nrole = "viewer"\nareas = "East Kent"\n', r"'areas' must be a list"),
    ('[[user]]\nemail = "a@b.gov.uk"\nrole = "viewer"\nareas = ["", "x"]\n', r"'areas' must be a list"),
    ('[[user]]\nemail = "a@b.gov.uk"\nrole = "viewer"\nrights = "all"\n', r"entry 1 \(line 1\): unknown key 'rights'"),
    (
        '[[user]]\nemail = "a@b.gov.uk"\nrole = "viewer"\n[[user]]\nemail = "A@B.gov.uk"\nrole = "importer"\n',
        r"entry 2 \(line 4\): a@b\.gov\.uk is listed more than once",
    ),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED)
def test_every_mistake_is_named_and_nothing_is_let_through(text: str, message: str):
    with pytest.raises(RoleFileError, match=message) as raised:
        parse_role_file(text, PATH)
    assert str(raised.value).startswith("/srv/iro/roles.toml")
