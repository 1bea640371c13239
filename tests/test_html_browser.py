"""The HTML report in a real browser: Debian's headless Chromium, driven over the DevTools
protocol on a pipe (`--remote-debugging-pipe`: no port, no websocket library).

The page must load from file:// with no console error, no uncaught exception and no blocked
request; the counts it shows must equal the JSON report's; the filters must filter. Without
Chromium the tests skip, unless SCHEMAUDIT_REQUIRE_SERVERS=1 (CI installs it), where they fail.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_cli import run
from tests.test_impact import Case, build_case

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


class Browser:
    """A headless Chromium and one page, spoken to in CDP messages separated by NUL bytes:
    Chromium reads commands on its fd 3 and writes replies and events on its fd 4."""

    def __init__(self, executable: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="schemaudit-chromium-")
        to_child, self._commands = os.pipe()
        self._replies, from_child = os.pipe()

        def wire_fds() -> None:  # in the child, before exec: its fd 3 and 4 are our pipes
            read, write = os.dup(to_child), os.dup(from_child)
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--remote-debugging-pipe",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            preexec_fn=wire_fds,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})
        self.session = self.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})[
            "sessionId"
        ]
        for domain in ("Runtime", "Log", "Page"):
            self.call(f"{domain}.enable", session=self.session)

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        reply = self._until(lambda m: m.get("id") == message["id"])
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def _until(self, wanted: Any, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "method" in message:
                    self.events.append(message)
                if wanted(message):
                    return dict(message)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from Chromium")
            ready, _, _ = select.select([self._replies], [], [], left)
            if ready:
                chunk = os.read(self._replies, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the pipe")
                self._buffer += chunk

    def open(self, url: str) -> None:
        self.call("Page.navigate", {"url": url}, session=self.session)
        self._until(lambda m: m.get("method") == "Page.loadEventFired")

    def js(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=self.session,
        )
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions and browser log errors (a blocked
        request, a CSP violation) seen so far."""
        self.js("0")  # a round trip, so events sent before it have arrived
        out = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                out.append(f"exception: {details.get('exception', {}).get('description') or details.get('text')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
                out.append(f"console.{params['type']}: {[a.get('value') for a in params.get('args', [])]}")
            elif method == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
                out.append(f"log: {params['entry'].get('text')}")
        return out

    def close(self) -> None:
        try:
            self.call("Browser.close")
            self.process.wait(timeout=15)
        except (RuntimeError, TimeoutError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(timeout=15)
        finally:
            os.close(self._commands)
            os.close(self._replies)
            shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if CHROMIUM is None:
        reason = "chromium is not installed (apt-get install chromium)"
        if os.environ.get("SCHEMAUDIT_REQUIRE_SERVERS") == "1":
            pytest.fail(f"SCHEMAUDIT_REQUIRE_SERVERS=1 but {reason}")
        pytest.skip(reason)
    shown = Browser(CHROMIUM)
    try:
        yield shown
    finally:
        shown.close()


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return build_case(tmp_path)


def test_the_harness_sees_errors(browser: Browser, tmp_path: Path) -> None:
    """A page that throws and logs must be caught, or a clean run would prove nothing."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><title>x</title><script>console.error('boom'); missing();</script>"
        '<img src="https://example.invalid/x.png">',
        encoding="utf-8",
    )
    browser.events.clear()
    browser.open(page.as_uri())
    problems = browser.problems()
    assert any("boom" in p for p in problems)
    assert any("missing is not defined" in p for p in problems)


def test_report_renders_and_shows_the_json_counts(browser: Browser, case: Case) -> None:
    for fmt in ("html", "json"):
        result = run("audit", *case.args("--code", "code", "-o", f"report.{fmt}", "--quiet"), cwd=case.cwd)
        assert result.returncode == 1 and result.stderr == "", result.stderr
    data = json.loads((case.cwd / "report.json").read_text(encoding="utf-8"))
    browser.events.clear()
    browser.open((case.cwd / "report.html").as_uri())

    shown = browser.js(
        "({critical: +document.getElementById('count-critical').textContent,"
        " warning: +document.getElementById('count-warning').textContent,"
        " info: +document.getElementById('count-info').textContent})"
    )
    assert shown == data["counts"]
    assert browser.js("document.getElementById('verdict').textContent") == data["verdict"]
    rows = "document.querySelectorAll('#findings-table tbody tr')"
    visible = f"Array.prototype.filter.call({rows}, r => !r.hidden && r.offsetParent !== null).length"
    assert browser.js(f"{rows}.length") == len(data["findings"])
    assert browser.js(visible) == len(data["findings"])
    assert browser.js("document.getElementById('findings-shown').textContent") == (
        f"Showing {len(data['findings'])} of {len(data['findings'])} findings"
    )
    assert browser.js("document.querySelectorAll('#diagram .table').length") == len(data["tables"])
    uses = sum(len({u["line"] for u in f["uses"]}) for f in data["impact"]["files"])
    assert browser.js("document.querySelectorAll('#impact-table tbody tr').length") == uses
    box = browser.js(
        "(() => { const r = document.querySelector('#diagram .table rect').getBBox(); return r.width; })()"
    )
    assert box > 0  # the SVG really laid out

    # severity filter: only critical left
    browser.js(
        "document.querySelectorAll('#severity-filters input').forEach(b => { if (b.value !== 'critical') b.click(); })"
    )
    assert browser.js(visible) == data["counts"]["critical"]
    assert browser.js("document.getElementById('findings-shown').textContent").startswith(
        f"Showing {data['counts']['critical']} of"
    )
    browser.js("document.querySelectorAll('#severity-filters input').forEach(b => { if (!b.checked) b.click(); })")
    assert browser.js(visible) == len(data["findings"])

    # table filter, from the diagram: a click on the box of a table with findings selects it
    table = next(f["table"] for f in data["findings"] if f["table"] == "runs")
    browser.js(
        f"document.querySelector('#diagram .table[data-table=\"{table}\"]').dispatchEvent(new MouseEvent('click'))"
    )
    assert browser.js("document.getElementById('table-filter').value") == table
    expected = sum(1 for f in data["findings"] if f["table"] == table)
    assert browser.js(visible) == expected
    assert browser.js(f"Array.prototype.every.call({rows}, r => r.hidden || r.dataset.table === '{table}')")
    assert browser.js("document.querySelector('#diagram .table.selected').dataset.table") == table

    # text filter on top of the table filter
    browser.js(
        "(() => { const s = document.getElementById('text-filter'); s.value = 'run_mode';"
        " s.dispatchEvent(new Event('input')); })()"
    )
    assert browser.js(visible) == sum(
        1 for f in data["findings"] if f["table"] == table and "run_mode" in json.dumps(f)
    )
    assert browser.problems() == []


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "creative-pipeline"


def open_at_width(browser: Browser, page: Path, width: int) -> None:
    """Open `page` in a window `width` pixels wide: no error, and no sideways scroll."""
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
        session=browser.session,
    )
    browser.events.clear()
    browser.open(page.as_uri())
    assert browser.problems() == []
    assert browser.js("document.documentElement.scrollWidth") <= width, "the page itself never scrolls sideways"


def keep_screenshot(browser: Browser, tmp_path: Path, name: str) -> None:
    """The window as a PNG for a person to look at, in SCHEMAUDIT_SCREENSHOTS when set."""
    shot = browser.call("Page.captureScreenshot", {"format": "png"}, session=browser.session)
    folder = Path(os.environ.get("SCHEMAUDIT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    png = folder / name
    png.write_bytes(base64.b64decode(shot["data"]))
    assert png.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("width", [1280, 1920])
def test_the_demo_report_at_laptop_and_desktop_widths(browser: Browser, tmp_path: Path, width: int) -> None:
    """The demo (26 tables) in a 1280- and a 1920-pixel window: nothing runs off the page,
    the whole diagram is reachable (fitted, or scrolling in its box) and a table can be read
    on its own; a screenshot of the first screen is kept for a person to look at
    (in SCHEMAUDIT_SCREENSHOTS when set)."""
    page = tmp_path / "demo.html"
    spec = ("--target", "spec:docs/TECH_SPEC.md#5", "--current", "python:scripts/backend.py:init_schema")
    made = run("audit", *spec, "--fail-on", "never", "-q", "-o", str(page), cwd=EXAMPLE)
    assert made.returncode == 0, made.stderr
    open_at_width(browser, page, width)
    geometry = (
        "(() => { const d = document.getElementById('diagram'), w = d.parentElement;"
        " return {natural: +d.getAttribute('width'), shown: d.getBoundingClientRect().width,"
        " box: w.clientWidth, scroll: w.scrollWidth, overflow: getComputedStyle(w).overflowX,"
        " fit: w.classList.contains('fit')}; })()"
    )
    g = browser.js(geometry)
    if g["fit"]:
        assert g["shown"] <= g["box"] + 1 and g["shown"] >= 0.8 * g["natural"], g  # fitted, still legible
    else:
        assert g["overflow"] == "auto" and g["scroll"] >= g["natural"], g  # all of it, by scrolling
        browser.js("document.getElementById('diagram-zoom').click()")
        fitted = browser.js(geometry)
        assert fitted["fit"] and fitted["shown"] <= fitted["box"] + 1, fitted
    if width >= 1920:
        assert g["fit"] and g["shown"] >= g["natural"] - 1, "at 1920 px the 26-table diagram fits at full size"
    browser.js(
        "document.querySelector('#diagram .table[data-table=\"runs\"]').dispatchEvent(new MouseEvent('mouseenter'))"
    )
    assert browser.js("document.getElementById('diagram').classList.contains('focus')")
    lit = browser.js(
        "Array.from(document.querySelectorAll('#diagram path.fk.on')).map(p => p.dataset.from + '>' + p.dataset.to)"
    )
    assert lit and all("runs" in pair.split(">") for pair in lit)
    keep_screenshot(browser, tmp_path, f"demo-report-{width}.png")


@pytest.mark.parametrize("width", [1280, 1920])
def test_a_big_schemas_diagram_at_laptop_and_desktop_widths(browser: Browser, tmp_path: Path, width: int) -> None:
    """A 60-table schema with two gaps: the page does not scroll sideways, the diagram draws
    the six tables with gaps and their neighbours at its own size, the 54 others are one list
    under it; a screenshot is kept for a person to look at (in SCHEMAUDIT_SCREENSHOTS when set)."""
    from tests.test_html import chain_schema

    target, current = chain_schema(tmp_path)
    page = tmp_path / "big.html"
    made = run("audit", "--target", target, "--current", current, "--fail-on", "never", "-q", "-o", str(page))
    assert made.returncode == 0, made.stderr
    open_at_width(browser, page, width)
    assert browser.js("document.querySelectorAll('#diagram .table').length") == 6
    g = browser.js(
        "(() => { const d = document.getElementById('diagram'), w = d.parentElement,"
        " l = document.getElementById('diagram-left-out').getBoundingClientRect();"
        " return {natural: +d.getAttribute('width'), shown: d.getBoundingClientRect().width, box: w.clientWidth,"
        " listTop: l.top, listRight: l.right, wrapBottom: w.getBoundingClientRect().bottom}; })()"
    )
    assert g["natural"] <= g["box"] and g["shown"] >= g["natural"] - 1, g  # six boxes fit at full size
    assert g["listTop"] >= g["wrapBottom"] and g["listRight"] <= width, g  # the list is under it, wrapped
    browser.js("document.getElementById('tables').scrollIntoView()")
    keep_screenshot(browser, tmp_path, f"big-schema-report-{width}.png")
