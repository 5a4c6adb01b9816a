"""Where the simulated departments keep their inbox, for each kind of platform database."""

import pytest

from yijianshi.adapters.sql.engine import department_store_url


@pytest.mark.parametrize(
    ("platform", "departments"),
    [
        ("sqlite:///yijianshi.sqlite3", "sqlite:///yijianshi-departments.sqlite3"),
        ("sqlite:////srv/data/platform.db", "sqlite:////srv/data/platform-departments.db"),
        ("sqlite:///data/store", "sqlite:///data/store-departments"),
        # no file to put beside: the platform's own database
        ("sqlite://", "sqlite://"),
        ("sqlite:///:memory:", "sqlite:///:memory:"),
        (
            "postgresql+psycopg://app@127.0.0.1:5432/yijianshi",
            "postgresql+psycopg://app@127.0.0.1:5432/yijianshi",
        ),
    ],
)
def test_a_sqlite_file_gets_a_departments_file_beside_it_and_others_share(
    platform: str, departments: str
) -> None:
    assert department_store_url(platform) == departments
