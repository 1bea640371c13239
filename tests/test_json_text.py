"""`files.json_text` writes exactly what `json.dumps(data, indent=2, ensure_ascii=False)`
writes (reports, snapshots and the impact listing are compared byte for byte by golden
files and by tools that diff them), only faster."""

from __future__ import annotations

import enum
import json
from typing import Any

import pytest

from schemaudit.files import json_text


class Level(str, enum.Enum):
    WARNING = "warning"


class Count(enum.IntEnum):
    ONE = 1


CASES: list[Any] = [
    {},
    [],
    "",
    None,
    True,
    0,
    -7,
    1.5,
    1e100,
    float("nan"),
    float("inf"),
    float("-inf"),
    {"a": [], "b": {}, "c": [{}], "d": [[[]]], "e": ("t", 1)},
    {"text": 'quote " backslash \\ tab \t newline \n nul \x00 del \x7f é ✓ 𝄞 \u2028'},
    {3: "int key", 2.5: "float key", True: "bool key", None: "null key", "s": "str key"},
    {"level": Level.WARNING, "count": Count.ONE, Level.WARNING: "enum key"},
    [1, [2, [3, {"deep": [True, False, None]}]], "end"],
]


@pytest.mark.parametrize("data", CASES)
def test_same_text_as_the_standard_library(data: Any) -> None:
    assert json_text(data) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def test_a_real_report_gives_the_same_text(tmp_path: Any) -> None:
    from schemaudit.audit import audit
    from schemaudit.report.json_report import to_dict
    from tests.test_impact import build_case

    case = build_case(tmp_path)
    data = to_dict(audit(*case.schemas()))
    assert json_text(data) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("bad", [{"x": object()}, {(1, 2): "tuple key"}, {1j: "complex"}])
def test_what_json_refuses_is_refused(bad: Any) -> None:
    with pytest.raises(TypeError):
        json.dumps(bad)
    with pytest.raises(TypeError):
        json_text(bad)
