"""The administrator's pages through the TestClient: the dashboard against the statistics, the
catalogue, a bundle's dependency graph and savings chart against its plan, bad ratings."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from fastapi.testclient import TestClient

from tests.e2e.conftest import Api, department_account
from tests.e2e.pages import log_in
from tests.e2e.test_api_lifecycle import submit, work_every_case
from yijianshi.entrypoints.presenters.plan_view import plan_as_dict
from yijianshi.services.cases.statistics import ComputeStatistics, statistics
from yijianshi.services.planning import PlanBundle, plan_bundle


def browser(api: Api, account: str = "admin", lang: str = "en") -> tuple[TestClient, str]:
    client = TestClient(api.client.app, raise_server_exceptions=False)
    return client, log_in(client, account, lang=lang)


def svg(page: str, testid: str) -> ET.Element:
    """The inline SVG with this test id, parsed as XML (so it is well-formed)."""
    found = re.search(rf'<svg[^>]*data-testid="{testid}".*?</svg>', page, re.S)
    assert found, f"no svg {testid}"
    return ET.fromstring(found.group(0))


def marked(element: ET.Element, testid: str) -> list[ET.Element]:
    return [e for e in element.iter() if e.get("data-testid") == testid]


def figure(page: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}">([^<]*)<', page)
    assert found, testid
    return found.group(1)


def birth_plan(api: Api) -> dict[str, Any]:
    context = api.container.context
    return plan_as_dict(context.catalog, plan_bundle(context, PlanBundle("birth", api.clock.today())))


def test_the_dashboard_shows_the_figures_the_statistics_compute(api: Api) -> None:
    done, _ = submit(api).json()["id"], submit(api).json()["id"]
    work_every_case(api, done)
    assert (
        api.as_(
            "mother",
            "POST",
            f"/api/applications/{done}/rating",
            json={"level": "very_dissatisfied", "comment": "太慢"},
        ).status_code
        == 201
    )
    stats = statistics(api.container.context, ComputeStatistics())
    client, _ = browser(api)
    page = client.get("/admin")
    assert page.status_code == 200, page.text
    assert figure(page.text, "figure-applications") == "2"
    assert figure(page.text, "figure-completed") == str(stats.cases_completed) == "7"
    assert figure(page.text, "figure-mean-days") == str(stats.mean_working_days)
    assert stats.within_time_limit is not None
    assert figure(page.text, "figure-within-limit") == f"{stats.within_time_limit * 100:.1f}%"
    assert figure(page.text, "figure-overdue") == str(stats.overdue_open)
    assert figure(page.text, "figure-satisfaction") == "0.0%"
    assert figure(page.text, "figure-rectifications") == "1"
    volumes = {
        b.get("data-row"): b.get("data-value")
        for b in marked(svg(page.text, "volumes-chart"), "volumes-chart-bar")
    }
    assert volumes == {"birth": "2"}
    days = {
        b.get("data-row"): b.get("data-value") for b in marked(svg(page.text, "days-chart"), "days-chart-bar")
    }
    assert days == {str(n): str(count) for n, count in stats.completion_days.items()}
    assert sum(int(v or 0) for v in days.values()) == 7
    ratings = {
        b.get("data-row"): b.get("data-value")
        for b in marked(svg(page.text, "ratings-chart"), "ratings-chart-bar")
    }
    assert ratings == {level: str(count) for level, count in stats.ratings.items()}
    assert re.search(r'<tr data-level="very_dissatisfied"><td>very dissatisfied</td><td>1</td>', page.text)
    assert '<tr data-bundle="birth">' in page.text
    zh = client.get("/admin?lang=zh-CN").text
    assert "各“一件事”申请量" in zh
    assert "非常不满意" in zh


def test_the_dashboard_of_an_empty_platform_says_so(api: Api) -> None:
    client, _ = browser(api)
    page = client.get("/admin").text
    assert "No applications yet." in page
    assert "No ratings yet." in page
    assert figure(page, "figure-within-limit") == "–"


def test_the_bundle_graph_has_one_node_per_item_and_one_edge_per_dependency(api: Api) -> None:
    plan = birth_plan(api)
    client, _ = browser(api)
    page = client.get("/admin/bundles/birth")
    assert page.status_code == 200, page.text
    dependencies = {(d, i["code"]) for i in plan["items"] for d in i["depends_on"]}
    critical = set(zip(plan["critical_path"], plan["critical_path"][1:], strict=False))
    for testid in ("dependency-graph", "dependency-graph-narrow"):
        graph = svg(page.text, testid)
        assert graph.get("role") == "img"
        assert graph.find("title") is not None
        assert graph.find("desc") is not None
        nodes = marked(graph, "graph-node")
        assert sorted(n.get("data-item") for n in nodes) == sorted(i["code"] for i in plan["items"])  # type: ignore[type-var]
        assert len(nodes) == 7
        edges = [(e.get("data-from"), e.get("data-to")) for e in marked(graph, "graph-edge")]
        assert len(edges) == len(dependencies)
        assert set(edges) == dependencies
        assert {
            (e.get("data-from"), e.get("data-to"))
            for e in marked(graph, "graph-edge")
            if e.get("data-critical") == "true"
        } == critical
        on_path = {n.get("data-item") for n in nodes if n.get("data-critical") == "true"}
        assert on_path == set(plan["critical_path"])
        stages = {n.get("data-item"): int(n.get("data-stage") or 0) for n in nodes}
        assert stages == {i["code"]: i["stage"] for i in plan["items"]}
    wide = svg(page.text, "dependency-graph")
    boxes = {
        n.get("data-item"): float(n.find("rect").get("x") or 0)  # type: ignore[union-attr]
        for n in marked(wide, "graph-node")
    }
    for source, target in dependencies:
        assert boxes[source] < boxes[target]  # stages run left to right
    words = re.search(r'data-testid="dependency-list">(.*?)</ol>', page.text, re.S).group(1)  # type: ignore[union-attr]
    assert words.count("<li data-item=") == 7
    assert "waits for no other item" in words
    drawn = ET.tostring(wide, encoding="unicode")
    assert "First issue of the birth" in drawn
    assert "Stage 4" in drawn


def test_the_savings_chart_shows_the_plans_metrics_before_and_after(api: Api) -> None:
    metrics = birth_plan(api)["metrics"]
    client, _ = browser(api)
    page = client.get("/admin/bundles/birth").text
    bars = marked(svg(page, "savings-chart"), "savings-chart-bar")
    shown = {(b.get("data-row"), b.get("data-series")): float(b.get("data-value") or "nan") for b in bars}
    expected = {(m, s): float(metrics[s][m]) for s in ("before", "after") for m in metrics["before"]}
    assert shown == expected
    for metric, value in metrics["before"].items():
        row = re.search(rf'<tr data-metric="{metric}">.*?</tr>', page, re.S).group(0)  # type: ignore[union-attr]
        assert f'<td data-series="before">{value}</td>' in row
        assert f'<td data-series="after">{metrics["after"][metric]}</td>' in row
    reported = marked(svg(page, "reported-chart"), "reported-chart-bar")
    drawn = {(b.get("data-row"), b.get("data-series")): float(b.get("data-value") or "nan") for b in reported}
    assert drawn == {(m, s): float(v) for s in ("before", "after") for m, v in metrics["reported"][s].items()}
    assert "Item by item: 57" in page
    assert "As one thing: 11" in page
    zh = client.get("/admin/bundles/birth?lang=zh-CN").text
    assert "逐项办理: 57" in zh
    assert "需填写的字段" in zh
    assert "一件事办理: 11" in zh


def test_other_answers_plan_fewer_items_and_a_wrong_answer_is_shown_beside_its_question(api: Api) -> None:
    client, _ = browser(api)
    elsewhere = client.get("/admin/bundles/birth?hukou_local=no").text
    nodes = marked(svg(elsewhere, "dependency-graph"), "graph-node")
    assert "birth-household-registration" not in {n.get("data-item") for n in nodes}
    assert len(nodes) == 4
    wrong = client.get("/admin/bundles/birth?hukou_local=maybe")
    assert wrong.status_code == 422
    assert 'href="#field-hukou_local"' in wrong.text
    assert 'id="hukou_local-error"' in wrong.text
    assert len(marked(svg(wrong.text, "dependency-graph"), "graph-node")) == 7  # the common path meanwhile


def test_every_sample_bundle_is_drawn_with_a_node_per_item(api: Api) -> None:
    client, _ = browser(api, lang="zh-CN")
    context = api.container.context
    for bundle in api.container.catalog.bundles:
        page = client.get(f"/admin/bundles/{bundle}")
        assert page.status_code == 200, bundle
        plan = plan_bundle(context, PlanBundle(bundle, api.clock.today()))
        for testid in ("dependency-graph", "dependency-graph-narrow"):
            assert len(marked(svg(page.text, testid), "graph-node")) == len(plan.items), (bundle, testid)


def test_the_catalogue_lists_every_item_and_bundle(api: Api) -> None:
    catalog = api.container.catalog
    client, _ = browser(api)
    page = client.get("/admin/catalog").text
    assert set(re.findall(r'<tr data-item="([^"]+)"', page)) == set(catalog.items)
    assert set(re.findall(r'<tr data-bundle="([^"]+)"', page)) == set(catalog.bundles)
    item = client.get("/admin/catalog/items/birth-household-registration")
    assert item.status_code == 200
    assert "child.id_number" in item.text
    assert 'href="/admin/bundles/birth"' in item.text
    assert client.get("/admin/catalog/items/no-such-item").status_code == 404
    assert client.get("/admin/bundles/no-such-bundle").status_code == 404


def test_the_administrator_sees_every_bad_rating_and_may_reply(api: Api) -> None:
    application_id = submit(api).json()["id"]
    work_every_case(api, application_id)
    api.as_("mother", "POST", f"/api/applications/{application_id}/rating", json={"level": "dissatisfied"})
    client, token = browser(api)
    page = client.get("/admin/rectifications").text
    rectification = re.search(r'data-testid="rectification" data-id="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert "Ruian Health Bureau" in page  # the department answerable (the bundle's lead) is named
    done = client.post(
        f"/admin/rectifications/{rectification}/reply",
        data={"csrf": token, "reply": "已整改"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert 'data-status="replied"' in client.get("/admin/rectifications").text
    assert api.as_("mother", "GET", f"/api/applications/{application_id}/rating").json()["reply"] == "已整改"


def test_only_administrators_may_open_the_admin_pages(api: Api) -> None:
    paths = (
        "/admin",
        "/admin/catalog",
        "/admin/catalog/items/social-security-card",
        "/admin/bundles/birth",
        "/admin/rectifications",
    )
    for account in ("mother", "clerk", department_account("ruian-health")):
        client, token = browser(api, account)
        for path in paths:
            assert client.get(path).status_code == 403, (account, path)
        refused = client.post("/admin/rectifications/any/reply", data={"csrf": token, "reply": "x"})
        assert refused.status_code == 403
    anonymous = TestClient(api.client.app, raise_server_exceptions=False)
    assert anonymous.get("/admin/bundles/birth", follow_redirects=False).status_code == 303
