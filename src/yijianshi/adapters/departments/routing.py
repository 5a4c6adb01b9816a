"""The routing gateway: each dispatch goes to its department's gateway (worklist, webhook or
simulated, as configured in adapters/departments/config.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import httpx2

from yijianshi.adapters.departments.config import GatewayConfig
from yijianshi.adapters.departments.webhook import WebhookDepartmentGateway
from yijianshi.adapters.departments.worklist import WorklistGateway
from yijianshi.services.delivery.ports import DeliveryOutcome, DepartmentGateway, Dispatch


class RoutingGateway:
    """Delivers with `routes[department]`, or `default` for a department not listed.

    Dispatches bound for the same gateway object are handed to it together, in their order, so a
    gateway shared by many departments (the simulator) still delivers a batch at once.
    """

    def __init__(self, routes: Mapping[str, DepartmentGateway], default: DepartmentGateway) -> None:
        self.routes = dict(routes)
        self.default = default

    def gateway_of(self, department: str) -> DepartmentGateway:
        return self.routes.get(department, self.default)

    def deliver_many(self, dispatches: Sequence[Dispatch]) -> list[DeliveryOutcome]:
        """One outcome per dispatch, in the order given."""
        groups: dict[int, tuple[DepartmentGateway, list[Dispatch]]] = {}
        for dispatch in dispatches:
            gateway = self.gateway_of(dispatch.department)
            groups.setdefault(id(gateway), (gateway, []))[1].append(dispatch)
        outcomes: dict[str, DeliveryOutcome] = {}
        for gateway, group in groups.values():
            outcomes.update((o.event_id, o) for o in gateway.deliver_many(group))
        return [
            outcomes.get(d.event_id, DeliveryOutcome(d.event_id, "the gateway reported no outcome"))
            for d in dispatches
        ]


class Unconfigured:
    """For a department whose webhook is not configured: every attempt fails, saying what to do."""

    def deliver_many(self, dispatches: Sequence[Dispatch]) -> list[DeliveryOutcome]:
        return [
            DeliveryOutcome(
                d.event_id,
                f"department {d.department} is not in the departments file: "
                "list it with gateway, url and secret_env",
            )
            for d in dispatches
        ]


def routing_gateway(
    config: GatewayConfig, simulated: DepartmentGateway, client: Callable[[], httpx2.Client]
) -> RoutingGateway:
    """The gateway of a deployment: `simulated` is the simulator; webhooks share the client
    `client()` returns (asked for only when a department uses a webhook)."""
    shared = {"worklist": WorklistGateway(), "simulated": simulated, "webhook": Unconfigured()}
    routes: dict[str, DepartmentGateway] = {}
    for code, route in config.departments.items():
        if route.gateway == "webhook" and route.url and route.secret:
            routes[code] = WebhookDepartmentGateway(route.url, route.secret, client())
        else:
            routes[code] = shared[route.gateway]
    return RoutingGateway(routes, shared[config.default])
