#!/usr/bin/env python3
"""The explorer page in a real browser: Debian's Chromium, driven by selenium through
chromedriver, against the running service over a real socket.

Checks, each one a failure when it does not hold:
- the page and its files load with no console error, no Content-Security-Policy violation and no
  request to any host but the service's; the page is under 300 KB;
- choosing functions draws their curves, and the drawn curves are the API's numbers: points read
  back from the SVG paths (through the chart's published mapping) match a separate
  POST /v1/activate to within a pixel's worth, and the hover readout prints the API's numbers;
- kinks are marked with the derivative PyTorch and JAX take there (the service's numbers);
- changing a parameter, the range and the dtype each redraws with the new numbers;
- a parameter out of bounds shows the service's own error message;
- a ?fn=...&min=...&dtype=...&NAME.PARAM=... link restores the view, and the view writes the URL;
- keyboard: Tab reaches the search box, a function's checkbox (Space chooses it) and the chart
  (arrow keys move the readout);
- a narrow (phone) viewport has no horizontal scrolling;
- with API keys on, the page loads without a key, asks for one, and draws once given it.

Usage: page_checks.py --base-url http://127.0.0.1:PORT [--keyed-base-url URL --api-key KEY]
       [--screenshots DIR]
"""
import argparse
import json
import math
import os
import re
import pathlib
import sys
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

# Selenium Manager must never fetch a browser or driver: the system's are given explicitly.
os.environ["SE_OFFLINE"] = "true"

PAGE_LIMIT = 300 * 1024
FAILURES = []

# Runs before any script of the page (through the DevTools protocol, so the page's CSP does not
# apply to it): records every CSP violation the browser reports.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def check(condition, message):
    status = "ok  " if condition else "FAIL"
    print(f"{status} {message}", flush=True)
    if not condition:
        FAILURES.append(message)


def api(base, path, body=None, key=None):
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(base + path, data=data, headers=headers)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def js_text(value):
    """A number as JavaScript's String() writes it, for the simple values compared here."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)


def number(value):
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}.get(value, value)


def make_driver(width, height):
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--no-first-run", "--disable-extensions",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--metrics-recording-only", "--no-default-browser-check"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_RECORDER})
    driver.execute_cdp_cmd("Network.enable", {})
    driver.set_script_timeout(30)
    return driver


def requested_urls(driver):
    """Every URL the browser asked for since the last call (the DevTools performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def console_errors(driver):
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def wait_drawn(driver, names, timeout=20):
    """Waits until the chart shows exactly `names`, and the status says it was drawn."""
    def ready(d):
        drawn = d.execute_script(
            "return Array.from(document.querySelectorAll('#chart g.series')).map(g => g.dataset.function)")
        status = d.find_element(By.ID, "status").text
        return drawn == names and status.startswith("Drawn")
    WebDriverWait(driver, timeout).until(ready)


def wait_view(driver, fragment, timeout=20):
    """Waits until the chart shows a view whose query contains `fragment`: typing sends one input
    event per key, and a slow machine may draw an intermediate value first."""
    def ready(d):
        view = d.find_element(By.ID, "chart").get_attribute("data-view") or ""
        return fragment in view and d.find_element(By.ID, "status").text.startswith("Drawn")
    WebDriverWait(driver, timeout).until(ready)


def wait_status_changed(driver, before, timeout=20):
    """Waits for the next redraw: the chart's data-y-max or path data changes."""
    WebDriverWait(driver, timeout).until(lambda d: chart_fingerprint(d) != before)


def chart_fingerprint(driver):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#chart path')).map(p => p.getAttribute('d')).join('|')")


def drawn_points(driver, name, curve):
    """The points of one drawn curve, mapped back from pixels to numbers."""
    mapping = driver.execute_script("return Object.assign({}, document.getElementById('chart').dataset)")
    d = driver.execute_script(
        "return document.querySelector(`#chart path[data-function='${arguments[0]}'][data-curve='${arguments[1]}']`)"
        ".getAttribute('d')", name, curve)
    x_min, x_max = float(mapping["xMin"]), float(mapping["xMax"])
    y_min, y_max = float(mapping["yMin"]), float(mapping["yMax"])
    left, top = float(mapping["plotLeft"]), float(mapping["plotTop"])
    width, height = float(mapping["plotWidth"]), float(mapping["plotHeight"])
    points = []
    for part in d.replace("M", "|").replace("L", "|").split("|"):
        if not part.strip():
            continue
        px, py = (float(v) for v in part.split())
        points.append((x_min + (px - left) / width * (x_max - x_min), y_max - (py - top) / height * (y_max - y_min)))
    return points, (x_max - x_min) / width, (y_max - y_min) / height


def compare_with_api(driver, base, name, params, dtype, low, high, key=None):
    """The drawn f and f' of `name` against a separate API call at the same sample points."""
    samples = 401
    xs = [low + (high - low) * i / (samples - 1) for i in range(samples)]
    answer = api(base, "/v1/activate", {"function": name, "inputs": xs, "params": params, "dtype": dtype}, key)
    for curve, field in (("f", "values"), ("df", "gradients")):
        expected = [number(v) for v in answer[field]]
        points, x_unit, y_unit = drawn_points(driver, name, curve)
        finite = [(x, y) for x, y in zip(xs, expected) if math.isfinite(y)]
        check(len(points) == len(finite), f"{name} {curve}: {len(points)} points drawn, {len(finite)} finite in the API's answer")
        # Two decimals of a pixel: a point may be off by 0.005 px in each direction.
        worst = max((max(abs(px - x) / x_unit, abs(py - y) / y_unit) for (px, py), (x, y) in zip(points, finite)), default=0)
        check(worst < 0.01, f"{name} {curve}: every drawn point is the API's number (worst {worst:.4f} px off)")


def parsed_rows(rows):
    """Readout rows ["gelu", "f(x) = 0.5", "f′(x) = 1"] as ["gelu", 0.5, 1.0]."""
    return [[row[0]] + [number_text(cell.split("=", 1)[1].strip()) for cell in row[1:]] for row in rows]


def number_text(text):
    return number(text) if text in ("NaN", "Infinity", "-Infinity") else float(text)


def readout_numbers(driver):
    rows = driver.execute_script("""
        return Array.from(document.querySelectorAll('#readout tr')).map(tr =>
            Array.from(tr.children).map(c => c.textContent));""")
    x = driver.find_element(By.CSS_SELECTOR, "#readout div").text
    return x, rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--keyed-base-url")
    parser.add_argument("--api-key")
    parser.add_argument("--screenshots", help="write docs screenshots into this folder")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    host = urllib.parse.urlsplit(base).netloc

    # MARK: the page's weight, as served
    total = 0
    folder = pathlib.Path(__file__).resolve().parent.parent / "explorer"
    paths = ["/" if f.name == "index.html" else "/favicon.svg" if f.name == "favicon.svg" else f"/explorer/{f.name}"
             for f in sorted(folder.iterdir())]
    for path in paths:
        with urllib.request.urlopen(base + path) as response:
            total += len(response.read())
    check(total < PAGE_LIMIT, f"the page's {len(paths)} files weigh {total} bytes (< {PAGE_LIMIT})")

    driver = make_driver(1400, 1000)
    try:
        # MARK: load, choose two functions, curves are the API's numbers
        driver.get(base + "/")
        WebDriverWait(driver, 20).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#function-list li")) == 40)
        check(True, "the page lists all 40 functions")
        driver.find_element(By.ID, "filter").send_keys("silu")
        visible = driver.execute_script(
            "return Array.from(document.querySelectorAll('#function-list li')).filter(li => !li.hidden).map(li => li.querySelector('input').value)")
        # silu is swish's alias; hard_swish's alias hard_silu contains it too.
        check(visible == ["hard_swish", "swish"], f"searching an alias finds its function: {visible}")
        driver.find_element(By.ID, "filter").clear()
        driver.execute_script("document.getElementById('filter').dispatchEvent(new Event('input'))")
        driver.find_element(By.ID, "fn-gelu").click()
        wait_drawn(driver, ["gelu"])
        driver.find_element(By.ID, "fn-swish").click()
        wait_drawn(driver, ["gelu", "swish"])
        compare_with_api(driver, base, "gelu", {}, "float64", -6, 6)
        compare_with_api(driver, base, "swish", {}, "float64", -6, 6)
        check("fn=gelu&fn=swish" in driver.current_url, f"choosing writes the URL: {driver.current_url}")

        # The card shows each key of the metadata's `properties` that has something to say, by
        # the service's label when GET /v1/functions defines them (`property_definitions`), else
        # by the key itself; keys the definitions mark deprecated are left out (their
        # replacements are shown), and so is an empty list (gelu's `not_differentiable_at`).
        catalogue = api(base, "/v1/functions")
        definitions = catalogue.get("property_definitions") or {}
        gelu = next(f for f in catalogue["functions"] if f["name"] == "gelu")
        terms = driver.execute_script(
            "return Array.from(document.querySelectorAll('#cards article')[0].querySelectorAll('dt')).map(t => t.textContent)")
        label = lambda key: definitions.get(key, {}).get("label") or key
        deprecated = {key for key, d in definitions.items() if d.get("deprecated")}
        wanted = [label(key) for key, value in gelu["properties"].items()
                  if key not in deprecated and value not in ([], "", None)]
        unwanted = [label(key) for key in deprecated]
        check(all(label in terms for label in wanted), f"gelu's properties are listed as {wanted}: {terms}")
        check(not any(label in terms for label in unwanted), f"deprecated properties {unwanted} are not listed: {terms}")
        check(terms.count(label("cost")) == 1, f"cost is listed once: {terms}")
        accuracy = gelu["accuracy"]["float64"]
        card = driver.find_element(By.CSS_SELECTOR, "#cards article").text
        check(f"float64: values ≤ {accuracy['values_ulp']} ULP, gradients ≤ {accuracy['gradients_ulp']} ULP" in card,
              "the card states the measured accuracy")
        check(gelu["formula"] in card and gelu["derivative"] in card and gelu["reference"] in card,
              "the card shows formula, derivative and source")

        # Hover: the readout prints the API's numbers at the sample under the pointer.
        chart = driver.find_element(By.ID, "chart")
        webdriver.ActionChains(driver).move_to_element_with_offset(chart, 40, 0).perform()
        WebDriverWait(driver, 5).until(lambda d: d.find_element(By.ID, "readout").get_attribute("data-index") is not None)
        x_text, rows = readout_numbers(driver)
        x = float(x_text.split("=")[1])
        answer = api(base, "/v1/activate", [{"function": n, "inputs": [x]} for n in ("gelu", "swish")])
        expected = [[n, number(a["values"][0]), number(a["gradients"][0])] for n, a in zip(("gelu", "swish"), answer)]
        check(parsed_rows(rows) == expected, f"hover readout at x = {x} is the API's numbers: {rows}")

        # MARK: kinks: leaky_relu at 0, PyTorch and JAX derivatives from the service
        driver.find_element(By.ID, "fn-leaky_relu").click()
        wait_drawn(driver, ["gelu", "swish", "leaky_relu"])
        marks = driver.execute_script("""
            return Array.from(document.querySelectorAll("#chart g[data-function='leaky_relu'] g.kink")).map(g => ({
              x: g.dataset.x, title: g.querySelector('title').textContent,
              pytorch: g.querySelector('[data-convention=pytorch]').getAttribute('y'),
              jax: g.querySelector('[data-convention=jax]').getAttribute('cy')}))""")
        kink = [api(base, "/v1/activate", {"function": "leaky_relu", "inputs": [0], "conventions": c})["gradients"][0]
                for c in ("pytorch", "jax")]
        check(len(marks) == 1 and marks[0]["x"] == "0", f"leaky_relu's kink is marked at x = 0: {marks}")
        check(len(marks) == 1 and f"PyTorch takes f′ = alpha = {js_text(kink[0])}" in marks[0]["title"]
              and f"JAX takes f′ = 1 = {js_text(kink[1])}" in marks[0]["title"],
              f"the kink names both conventions' derivatives, {kink}: {marks and marks[0]['title']}")
        check(len(marks) == 1 and marks[0]["pytorch"] != marks[0]["jax"], "PyTorch's and JAX's marks sit at different heights")

        # MARK: a parameter, the range, the dtype: each redraws with the service's new numbers
        alpha = driver.find_element(By.ID, "param-leaky_relu-alpha")
        alpha.send_keys("0.2")
        wait_view(driver, "leaky_relu.alpha=0.2")
        wait_drawn(driver, ["gelu", "swish", "leaky_relu"])
        compare_with_api(driver, base, "leaky_relu", {"alpha": 0.2}, "float64", -6, 6)
        check("leaky_relu.alpha=0.2" in driver.current_url, "the parameter is in the URL")

        low = driver.find_element(By.ID, "x-min")
        low.clear()
        low.send_keys("-2")
        wait_view(driver, "min=-2")
        wait_drawn(driver, ["gelu", "swish", "leaky_relu"])
        compare_with_api(driver, base, "gelu", {}, "float64", -2, 6)

        before = chart_fingerprint(driver)
        requested_urls(driver)  # drains the network log
        driver.find_element(By.CSS_SELECTOR, "#dtype option[value=float32]").click()
        wait_status_changed(driver, before)
        wait_drawn(driver, ["gelu", "swish", "leaky_relu"])
        calls = [u for u in requested_urls(driver) if u.endswith("/v1/activate")]
        check(len(calls) == 1, f"one redraw is one POST /v1/activate: {len(calls)}")
        status = driver.find_element(By.ID, "status").text
        check(status.endswith("float32."), f"the dtype redraws: {status}")
        # float32 samples are float32 numbers; compare the drawing with the API at those.
        xs = driver.execute_script("""
            const d = document.getElementById('chart').dataset; return [Number(d.xMin), Number(d.xMax)]""")
        check(xs == [-2, 6], f"float32 range is [-2, 6]: {xs}")
        compare_with_api(driver, base, "gelu", {}, "float32", -2, 6)

        # The exact-numbers table for a typed point.
        point = driver.find_element(By.ID, "point")
        point.send_keys("0.5", Keys.ENTER)
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#point-table tbody tr"))
        table = driver.execute_script("""
            return Array.from(document.querySelectorAll('#point-table tbody tr')).map(tr =>
                Array.from(tr.children).map(c => c.textContent))""")
        wanted = []
        for name, params in (("gelu", {}), ("swish", {}), ("leaky_relu", {"alpha": 0.2})):
            p, j = (api(base, "/v1/activate", {"function": name, "inputs": [0.5], "params": params, "dtype": "float32",
                                                "conventions": c}) for c in ("pytorch", "jax"))
            wanted.append([name, number(p["values"][0]), number(p["gradients"][0]), number(j["gradients"][0])])
        got = [[row[0]] + [float(v) for v in row[1:]] for row in table]
        check(got == wanted, f"the table at x = 0.5 holds the service's float32 numbers: {table}")

        # MARK: out of bounds: the service's message, shown as it gave it
        errors = console_errors(driver)
        check(not errors, f"no console error so far: {errors}")
        driver.find_element(By.ID, "fn-leaky_relu6").click()
        wait_drawn(driver, ["gelu", "swish", "leaky_relu", "leaky_relu6"])
        cap_alpha = driver.find_element(By.ID, "param-leaky_relu6-alpha")
        cap_alpha.send_keys("3")
        WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "error").is_displayed())
        shown = driver.find_element(By.ID, "error").text
        try:
            api(base, "/v1/activate", {"function": "leaky_relu6", "inputs": [0], "params": {"alpha": 3}, "dtype": "float32"})
            message = None
        except urllib.error.HTTPError as error:
            message = json.loads(error.read())["error"]
        # The page's batch has the evaluation at another index than this single request.
        check(message is not None and re.sub(r"^evaluation \d+: ", "", message["message"]) in shown
              and message["code"] in shown,
              f"an alpha out of bounds shows the service's error: {shown!r}")
        check(cap_alpha.get_attribute("aria-invalid") == "true", "the refused field is marked invalid")
        errors = console_errors(driver)
        check(errors and all("status of 422" in e for e in errors), f"the only console errors are the refused requests: {errors}")
        cap_alpha.clear()
        cap_alpha.send_keys("0.1")
        wait_view(driver, "leaky_relu6.alpha=0.1")
        check(not driver.find_element(By.ID, "error").is_displayed(), "the error is gone")
        wait_drawn(driver, ["gelu", "swish", "leaky_relu", "leaky_relu6"])
        check(True, "a valid value clears the error and redraws")

        # MARK: the URL restores the view
        link = driver.current_url
        for part in ("fn=gelu", "fn=swish", "fn=leaky_relu", "min=-2", "dtype=float32", "leaky_relu.alpha=0.2",
                     "leaky_relu6.alpha=0.1", "x=0.5"):
            check(part in link, f"the URL carries {part}")
        fingerprint = chart_fingerprint(driver)
        driver.get(base + "/")
        driver.get(link)
        wait_drawn(driver, ["gelu", "swish", "leaky_relu", "leaky_relu6"])
        check(driver.find_element(By.ID, "param-leaky_relu-alpha").get_attribute("value") == "0.2"
              and driver.find_element(By.ID, "x-min").get_attribute("value") == "-2"
              and driver.find_element(By.ID, "dtype").get_attribute("value") == "float32",
              "the link restores parameters, range and dtype")
        check(chart_fingerprint(driver) == fingerprint, "the link redraws the same curves")
        driver.get(base + "/?fn=silu&fn=unknown_thing&fn=leaky_relu6&leaky_relu6.cap=2&max=3")
        wait_drawn(driver, ["swish", "leaky_relu6"])
        compare_with_api(driver, base, "leaky_relu6", {"cap": 2}, "float64", -6, 3)
        kinks = driver.execute_script(
            "return Array.from(document.querySelectorAll(\"#chart g[data-function='leaky_relu6'] g.kink\")).map(g => g.dataset.x)")
        check(kinks == ["0", "2"], f"leaky_relu6's kinks follow its parameter cap=2: {kinks}")
        check(True, "an alias in ?fn= chooses its function; an unknown name is ignored")

        if args.screenshots:
            folder = pathlib.Path(args.screenshots)
            driver.get(base + "/?fn=gelu&x=1")
            wait_drawn(driver, ["gelu"])
            WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#point-table tbody tr"))
            webdriver.ActionChains(driver).move_to_element_with_offset(driver.find_element(By.ID, "chart"), -120, 0).perform()
            driver.save_screenshot(str(folder / "explorer-gelu.png"))
            driver.get(base + "/?fn=gelu&fn=swish&fn=leaky_relu6&min=-4&max=8")
            wait_drawn(driver, ["gelu", "swish", "leaky_relu6"])
            driver.save_screenshot(str(folder / "explorer-compare.png"))

        # MARK: keyboard: Tab to the search box, a checkbox (Space), the chart (arrows)
        driver.get(base + "/")
        WebDriverWait(driver, 20).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#function-list li")) == 40)
        body = driver.find_element(By.TAG_NAME, "body")
        body.click()
        focused = []
        for _ in range(60):
            webdriver.ActionChains(driver).send_keys(Keys.TAB).perform()
            active = driver.switch_to.active_element
            focused.append(active.get_attribute("id"))
            if active.get_attribute("id") == "fn-relu":
                break
        check("filter" in focused and focused[-1] == "fn-relu", f"Tab reaches the search box, then the functions: {focused[:6]}…")
        webdriver.ActionChains(driver).send_keys(Keys.SPACE).perform()
        wait_drawn(driver, ["relu"])
        check(True, "Space on a function's checkbox draws it")
        # The chart comes before the list in the document (a phone shows it first): Shift+Tab.
        for _ in range(40):
            webdriver.ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
            if driver.switch_to.active_element.get_attribute("id") == "chart":
                break
        check(driver.switch_to.active_element.get_attribute("id") == "chart", "Shift+Tab reaches the chart")
        middle = driver.find_element(By.ID, "readout").get_attribute("data-index")
        webdriver.ActionChains(driver).send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT).perform()
        after = driver.find_element(By.ID, "readout").get_attribute("data-index")
        check(middle == "200" and after == "202", f"focus shows the middle sample, arrows move it: {middle} -> {after}")
        x_text, rows = readout_numbers(driver)
        x = float(x_text.split("=")[1])
        answer = api(base, "/v1/activate", {"function": "relu", "inputs": [x]})
        check(x == -6 + 12 * 202 / 400 and parsed_rows(rows) == [["relu", number(answer["values"][0]), number(answer["gradients"][0])]],
              f"keyboard readout is the API's numbers: {x_text} {rows}")
        labels = driver.execute_script("""
            return Array.from(document.querySelectorAll('input, select, button')).filter(e => e.offsetParent !== null)
              .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
              .map(e => e.id || e.outerHTML)""")
        check(labels == [], f"every visible control has a label: {labels}")

        # MARK: nothing left the host; no console error; no CSP violation
        urls = requested_urls(driver)
        foreign = [u for u in urls if urllib.parse.urlsplit(u).netloc != host and not u.startswith("data:")]
        check(urls and not foreign, f"{len(urls)} requests, none to another host: {foreign}")
        errors = console_errors(driver)
        check(not errors, f"no console error: {errors}")
        violations = driver.execute_script("return window.__cspViolations")
        check(violations == [], f"no Content-Security-Policy violation: {violations}")
        # The recorder itself works: an inline style, which the policy forbids, is reported.
        driver.execute_script("const s = document.createElement('style'); s.textContent = 'body {}'; document.head.append(s)")
        WebDriverWait(driver, 5).until(lambda d: d.execute_script("return window.__cspViolations.length") > 0)
        check(True, "an inline style is refused and reported (the CSP check can fail)")
    finally:
        driver.quit()

    # MARK: the page's rendering of `property_definitions` and a value half's properties, which
    # this service version may not serve yet: the catalogue answer is extended in the browser
    # (fetch wrapped before the page's script runs), the rest is the live service.
    driver = make_driver(1400, 1000)
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
            const realFetch = window.fetch;
            window.fetch = async (path, init) => {
              const response = await realFetch(path, init);
              if (path !== '/v1/functions' || !response.ok) return response;
              const body = await response.json();
              body.property_definitions = {monotonic: {label: 'Monotonic', definition: 'Never decreases.', criterion: null}};
              const glu = body.functions.find(f => f.name === 'glu');
              glu.value_half_properties_of = 'identity';
              glu.value_half_properties = {monotonic: true, bounded_above: false};
              return new Response(JSON.stringify(body), {status: 200, headers: {'Content-Type': 'application/json'}});
            };"""})
        driver.get(base + "/?fn=relu&fn=glu")
        wait_drawn(driver, ["relu", "glu"])
        cards = driver.find_elements(By.CSS_SELECTOR, "#cards article")
        terms = [t.text for t in cards[0].find_elements(By.TAG_NAME, "dt")]
        check("Monotonic" in terms and "monotonic" not in terms and "zero_centered" in terms,
              f"a defined property shows its label, an undefined one its key: {terms}")
        title = cards[0].find_element(By.XPATH, ".//dt[abbr[text()='Monotonic']]/abbr").get_attribute("title")
        check(title == "Never decreases.", f"the definition is the label's explanation: {title!r}")
        check("value half (identity)" in cards[1].text and "Monotonic: yes; bounded_above: no" in cards[1].text,
              "glu's card lists its value half's properties")
        check(not console_errors(driver), "no console error")
    finally:
        driver.quit()

    # MARK: a phone: 360 px wide, no horizontal scrolling, the chart still drawn
    driver = make_driver(800, 740)
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True})
        driver.get(base + "/?fn=gelu&fn=tanh")
        wait_drawn(driver, ["gelu", "tanh"])
        widths = driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth, "
            "document.getElementById('chart').getBoundingClientRect().width]")
        check(widths[0] <= widths[1] and widths[2] > 250, f"narrow screen: page {widths[0]} px in {widths[1]} px, chart {widths[2]:.0f} px")
        # Dark mode: the page follows prefers-color-scheme, text light on dark.
        light = driver.execute_script("return [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]")
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        dark = driver.execute_script("return [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]")
        luminance = lambda colour: sum(int(v) for v in re.findall(r"\d+", colour)[:3])
        check(luminance(light[0]) > luminance(light[1]) and luminance(dark[0]) < luminance(dark[1]),
              f"light mode is dark on light {light}, dark mode light on dark {dark}")
        if args.screenshots:
            driver.save_screenshot(str(pathlib.Path(args.screenshots) / "explorer-phone-dark.png"))
        check(not console_errors(driver), "no console error on the narrow screen")
    finally:
        driver.quit()

    # MARK: with API keys: the page is open, its API calls ask for the key
    if args.keyed_base_url:
        keyed = args.keyed_base_url.rstrip("/")
        driver = make_driver(1200, 900)
        try:
            driver.get(keyed + "/?fn=relu")
            WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "key-form").is_displayed())
            check("API key" in driver.find_element(By.ID, "key-form").text, "without a key the page asks for one")
            driver.find_element(By.ID, "api-key").send_keys(args.api_key, Keys.ENTER)
            wait_drawn(driver, ["relu"])
            compare_with_api(driver, keyed, "relu", {}, "float64", -6, 6, key=args.api_key)
            check(not driver.find_element(By.ID, "key-form").is_displayed(), "with the key the page draws and hides the form")
            errors = [e for e in console_errors(driver) if "401" not in e]
            check(not errors, f"no console error but the expected 401: {errors}")
        finally:
            driver.quit()

    print(f"\n{len(FAILURES)} failure(s)")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except TimeoutException as error:
        print(f"FAIL timed out waiting: {error}", file=sys.stderr)
        sys.exit(1)
