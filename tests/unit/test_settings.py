import pytest
from pydantic import ValidationError

from yijianshi.settings import Settings, sample_catalog_dir
from yijianshi.settings_docs import DOC, render


def test_every_setting_has_a_description() -> None:
    assert all(info.description for info in Settings.model_fields.values())


def test_the_settings_document_is_generated_from_the_settings() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "run `make docs` and commit the result"


def test_settings_are_read_from_prefixed_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YIJIANSHI_CATALOG_DIR", "/srv/catalog")
    assert str(Settings().catalog_dir) == "/srv/catalog"
    monkeypatch.delenv("YIJIANSHI_CATALOG_DIR")
    assert Settings().catalog_dir == sample_catalog_dir()


def test_a_setting_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(calendar_overrides=3)  # type: ignore[arg-type]
