"""Where each item of a plan goes when its dependency graph is drawn: one column per stage.

    stage 1        stage 2        stage 3
   ┌───────┐     ┌───────┐      ┌───────┐
   │   A   │────►│   B   │─────►│   D   │
   └───────┘╲    └───────┘      └───────┘
             ╲   ┌───────┐
              ──►│   C   │
                 └───────┘

A stage is the planner's: the longest chain of items an item waits for, so every item of a stage
can run in parallel and every arrow points to a later stage. Within a stage, items are ordered by
the mean position of the items they wait for (then in plan order), so arrows cross little. ACROSS
lays stages left to right; DOWN, top to bottom (for narrow screens). An arrow is critical when both
its ends are consecutive items of the plan's critical path. Sizes are SVG user units; a viewBox
scales the drawing. Pure: no drawing, no text measuring.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from yijianshi.domain.planning import Plan, PlannedItem


class Direction(StrEnum):
    ACROSS = "across"  # stages left to right
    DOWN = "down"  # stages top to bottom


@dataclass(frozen=True, slots=True)
class Box:
    """An item's box: top-left corner and size."""

    item: PlannedItem
    x: float
    y: float
    width: float
    height: float
    critical: bool


@dataclass(frozen=True, slots=True)
class Arrow:
    """`target` waits for `source`: `path` is SVG path data from the source's box to the target's."""

    source: str
    target: str
    critical: bool
    path: str


@dataclass(frozen=True, slots=True)
class GraphLayout:
    direction: Direction
    width: float
    height: float
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]


@dataclass(frozen=True, slots=True)
class Spacing:
    """Box size, the gap between stages and the gap between items of one stage, the margin."""

    box_width: float = 220
    box_height: float = 84
    between_stages: float = 64
    within_stage: float = 20
    margin: float = 12


def ordered_stages(plan: Plan) -> list[list[str]]:
    """The plan's stages, each ordered by the mean position of what its items wait for."""
    depends = {item.code: item.depends_on for item in plan.items}
    position: dict[str, float] = {}
    ordered: list[list[str]] = []
    for stage in plan.stages:

        def mean_upstream(code: str) -> float:
            before = [position[d] for d in depends[code] if d in position]
            return sum(before) / len(before) if before else 0.0

        column = sorted(stage, key=lambda c: (mean_upstream(c), stage.index(c)))
        offset = (len(column) - 1) / 2  # positions centred, so stages of different sizes line up
        position.update({code: index - offset for index, code in enumerate(column)})
        ordered.append(column)
    return ordered


def layout(plan: Plan, direction: Direction = Direction.ACROSS, spacing: Spacing = Spacing()) -> GraphLayout:
    """Boxes and arrows of the plan's dependency graph (module docstring)."""
    stages = ordered_stages(plan)
    widest = max((len(s) for s in stages), default=0)
    along_step = (
        spacing.box_width if direction is Direction.ACROSS else spacing.box_height
    ) + spacing.between_stages
    side = spacing.box_height if direction is Direction.ACROSS else spacing.box_width
    side_step = side + spacing.within_stage
    critical = set(plan.critical_path)
    items = {item.code: item for item in plan.items}
    boxes: dict[str, Box] = {}
    for stage_index, column in enumerate(stages):
        start = (widest - len(column)) * side_step / 2
        for index, code in enumerate(column):
            along = spacing.margin + stage_index * along_step
            across = spacing.margin + start + index * side_step
            x, y = (along, across) if direction is Direction.ACROSS else (across, along)
            boxes[code] = Box(items[code], x, y, spacing.box_width, spacing.box_height, code in critical)
    total_along = spacing.margin * 2 + len(stages) * along_step - spacing.between_stages
    total_side = spacing.margin * 2 + widest * side_step - spacing.within_stage
    width, height = (total_along, total_side) if direction is Direction.ACROSS else (total_side, total_along)
    links = set(pairwise(plan.critical_path))
    columns = [[boxes[code] for code in column] for column in stages]
    arrows = tuple(
        Arrow(
            source,
            item.code,
            (source, item.code) in links,
            _path(boxes[source], boxes[item.code], columns, direction, spacing),
        )
        for item in plan.items
        for source in item.depends_on
        if source in boxes
    )
    ordered_boxes = tuple(box for column in columns for box in column)
    return GraphLayout(direction, max(width, 0.0), max(height, 0.0), ordered_boxes, arrows)


def _along(box: Box, direction: Direction) -> tuple[float, float, float, float]:
    """(start along the stages, start across, length along, length across) of a box."""
    if direction is Direction.ACROSS:
        return box.x, box.y, box.width, box.height
    return box.y, box.x, box.height, box.width


def _lane(column: list[Box], near: float, direction: Direction, spacing: Spacing) -> float:
    """The middle of the gap of a stage (above, between or below its boxes) nearest `near`."""
    spans = sorted((start, start + length) for _, start, _, length in (_along(b, direction) for b in column))
    gaps = [spans[0][0] - spacing.within_stage / 2, spans[-1][1] + spacing.within_stage / 2]
    gaps += [(end + following) / 2 for (_, end), (following, _) in pairwise(spans)]
    return min(gaps, key=lambda gap: (abs(gap - near), gap))


def _path(source: Box, target: Box, columns: list[list[Box]], direction: Direction, spacing: Spacing) -> str:
    """SVG path data from the middle of the source's far side to the middle of the target's near
    side (the arrowhead, a marker, sits at its end). An arrow that skips stages passes each stage
    between its boxes, through the gap nearest its straight line, instead of under a box."""
    along1, side1, length1, width1 = _along(source, direction)
    along2, side2, _, width2 = _along(target, direction)
    start, end = (along1 + length1, side1 + width1 / 2), (along2, side2 + width2 / 2)
    points = [start]
    skipped = range(source.item.stage, target.item.stage - 1)  # indexes of the stages in between
    for index in skipped:
        column_start, _, column_length, _ = _along(columns[index][0], direction)
        share = (index + 1 - source.item.stage) / (target.item.stage - source.item.stage)
        lane = _lane(columns[index], start[1] + (end[1] - start[1]) * share, direction, spacing)
        points += [(column_start, lane), (column_start + column_length, lane)]
    points.append(end)
    return "M" + _xy(points[0], direction) + "".join(_segment(a, b, direction) for a, b in pairwise(points))


def _segment(a: tuple[float, float], b: tuple[float, float], direction: Direction) -> str:
    """A straight line along a lane, else a curve leaving and arriving parallel to the stages' flow."""
    if a[1] == b[1]:
        return " L" + _xy(b, direction)
    middle = (a[0] + b[0]) / 2
    return f" C{_xy((middle, a[1]), direction)} {_xy((middle, b[1]), direction)} {_xy(b, direction)}"


def _xy(point: tuple[float, float], direction: Direction) -> str:
    along, side = point
    x, y = (along, side) if direction is Direction.ACROSS else (side, along)
    return f"{x:g},{y:g}"
