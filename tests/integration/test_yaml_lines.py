"""YAML documents read quickly give exactly what PyYAML's own constructor gives, and lines on demand."""

import gc
from pathlib import Path

import pytest
import yaml

from yijianshi.adapters.catalog_files.loader import FileCatalogSource
from yijianshi.adapters.catalog_files.yaml_lines import Loader, YamlSyntaxError, parse

MINI = Path(__file__).parents[1] / "fixtures" / "mini_catalog"

DOCUMENTS = {
    "plain": "code: a\nname: {zh: 甲, en: A}\n"
    "fields: [child.name, {key: child.id_number, required: false}]\n",
    "scalars": "a: 1\nb: [2.5, .inf, 0x1f, 0o17, 1_000, 1:30, 0b101]\nc: yes\nd: No\ne: ~\nf: ''\n"
    "g: 2024-01-01\nh: 'yes'\ni: !!str 123\nj: !!int '12'\n",
    "keys": "1: a\n2.5: b\ntrue: c\n~: d\ndup: e\ndup: f\n",
    "aliases": "a: &x [1, {b: 2}]\nc: *x\nd: {e: &y {f: 1}, g: *y}\n",
    "merge": "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  z: 3\n",
    "tags": "a: !!set {x, y}\nb: !!binary aGVsbG8=\nc: !!omap [x: 1, y: 2]\nd: !!timestamp 2020-01-01\n",
    "sequence": "- a\n- b: [c, {d: e}]\n",
    "block_text": "a: |\n  line one\n  line two\nb: >\n  folded\n  text\n",
}


def pyyaml(text: str) -> object:
    return yaml.load(text, Loader=Loader)  # a SafeLoader


@pytest.mark.parametrize("name", DOCUMENTS)
def test_quick_construction_gives_what_pyyaml_gives(name: str) -> None:
    assert parse(DOCUMENTS[name]).data == pyyaml(DOCUMENTS[name])


def test_a_key_pyyaml_refuses_is_refused_with_pyyamls_reason() -> None:
    with pytest.raises(YamlSyntaxError, match="found unhashable key") as caught:
        parse("a: 1\n? [1, 2]\n: v\n")
    assert caught.value.line == 2


def test_an_alias_is_the_anchored_object_as_in_pyyaml() -> None:
    data = parse(DOCUMENTS["aliases"]).data
    assert data["a"] is data["c"]
    assert data["d"]["e"] is data["d"]["g"]


def test_a_recursive_alias_is_left_to_pyyaml() -> None:
    data = parse("a: &r [1, *r]\n").data
    assert data["a"][1] is data["a"]


def test_a_value_pyyaml_cannot_construct_is_a_syntax_error_with_its_line() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        parse("a: 1\nb: !python/object:os.system x\n")
    assert caught.value.line == 2


def test_lines_are_indexed_on_first_use_from_the_text() -> None:
    located = parse("code: a\nname:\n  zh: 甲\n  en: A\nitems:\n- x\n- y\n")
    assert located.line(("name", "en")) == 4
    assert located.line(("items", 1)) == 7
    assert located.line(("items", 5, "deeper")) == 6  # the longest known prefix: the list
    assert located.line(("missing",)) == 1


def test_merged_keys_are_located_where_pyyaml_merged_them_from() -> None:
    located = parse(DOCUMENTS["merge"])
    assert located.line(("other", "x")) == 1
    assert located.line(("other", "z")) == 4


def test_a_document_without_its_data_still_locates() -> None:
    located = parse("a:\n  b: 1\n").without_data()
    assert located.data is None
    assert located.line(("a", "b")) == 2


def test_an_empty_document_is_none_at_line_one() -> None:
    located = parse("# nothing\n")
    assert located.data is None
    assert located.line(("a",)) == 1


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_a_catalogue_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        FileCatalogSource().load(str(MINI))
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
