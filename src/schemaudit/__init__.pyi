# The package as type checkers see it: the library verbs with their signatures (they are
# imported on first use at run time; see __init__.py and api.py).
from typing import Any

from schemaudit.api import apply as apply
from schemaudit.api import audit as audit
from schemaudit.api import compare as compare
from schemaudit.api import load as load
from schemaudit.api import plan as plan
from schemaudit.api import render as render

__version__: str
API: tuple[str, ...]

def callable_package(name: str) -> None: ...
def __getattr__(name: str) -> Any: ...
