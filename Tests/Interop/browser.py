"""A real browser for the interop tests: Debian's headless Chromium driven by Selenium, and the
test frontend (Tests/Interop/frontend/) served on its own loopback origin.

Import what a test module needs (fixtures by name, so conftest stays untouched):

    from browser import Browser, Frontend, start_api_server, chromium, browser  # noqa: F401

- `chromium` (session): one headless Chromium with a temporary profile; `browser` (function): the
  same, with its cookies and cache cleared and at about:blank before the test.
- `Frontend()`: an http.server on 127.0.0.1, reached as `frontend.origin` ==
  `http://localhost:<port>`; set `frontend.api_url` before opening a page. It serves `/` (the
  app), `/auth/callback` (the provider sign-in landing page) and `/config.js` (the API URL).
- `start_api_server(frontend, **settings)`: the real authserver (conftest's `Server`), with
  `PUBLIC_URL`/`server.api_url` = `http://localhost:<port>` and `CORS_ORIGINS`/`APP_URL` = the
  frontend's origin unless given.

Why `localhost` for both: the browser decides SameSite by *site* (scheme + registrable host, the
port does not count), and CORS by *origin* (scheme + host + port). `http://localhost:A` (API) and
`http://localhost:B` (frontend) are same-site but cross-origin, like `api.example.com` and
`app.example.com` in production: the `SameSite=Strict` refresh cookie is sent on the frontend's
fetches, and CORS still has to allow the origin. Were the API reached as `http://127.0.0.1:A`
from a page on `localhost:B`, the two would be cross-site and the browser would never send the
refresh cookie: a test would fail for a reason no deployment has. `http://127.0.0.1:B` is
therefore a handy *cross-site* origin for negative tests.

Every wait has a deadline (`WAIT` seconds unless told), and Chromium can reach nothing but
loopback: all other hosts go to a dead proxy and resolve to nothing (see `CHROMIUM_ARGS`).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
import urllib.parse
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import conftest
from conftest import Server

FRONTEND_DIR = Path(__file__).resolve().parent / "frontend"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WAIT = 10.0

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",                # root cannot use Chromium's sandbox
    "--disable-dev-shm-usage",     # small /dev/shm in containers: use /tmp
    "--disable-gpu",
    "--window-size=1280,900",
    "--no-first-run",
    "--no-default-browser-check",
    "--password-store=basic",
    "--disable-extensions",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-client-side-phishing-detection",
    "--disable-domain-reliability",
    "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
    # Nothing but loopback, whatever a page or Chromium itself tries: loopback bypasses the proxy,
    # everything else goes to a port where nothing listens, and no name but localhost resolves.
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]


# --- the frontend's HTTP server ------------------------------------------------------------------

class _FrontendHandler(SimpleHTTPRequestHandler):
    timeout = 10  # a connection that sends nothing does not hold a thread for ever

    def __init__(self, *args: Any, frontend: "Frontend", **kwargs: Any):
        self.frontend = frontend
        super().__init__(*args, directory=str(FRONTEND_DIR), **kwargs)

    def log_message(self, format: str, *args: Any) -> None:  # quiet, pytest shows failures anyway
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        if parts.path == "/config.js":
            config = {"apiUrl": self.frontend.api_url, "provider": self.frontend.provider}
            body = f"window.AUTH_CONFIG = {json.dumps(config)};\n".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if parts.path in ("/auth/callback", "/auth/callback/"):
            self.path = "/callback.html" + (f"?{parts.query}" if parts.query else "")
        super().do_GET()


class Frontend:
    """The static test frontend on its own loopback port (a thread of the test process)."""

    def __init__(self, api_url: str = "", provider: str = "test"):
        self.api_url = api_url
        self.provider = provider
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_FrontendHandler, frontend=self))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.origin = f"http://localhost:{self.port}"
        #: The same pages on a *cross-site* origin (an IP is its own site), for negative tests.
        self.cross_site_origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                       name=f"frontend-{self.port}", daemon=True)
        self.thread.start()

    def url(self, path: str = "/", origin: str | None = None) -> str:
        return (origin or self.origin) + path

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def start_api_server(frontend: Frontend, **settings: str) -> Server:
    """conftest's `Server`, reachable from the browser as `server.api_url` (http://localhost:PORT).

    PUBLIC_URL must name the server's own port, which `Server` picks; so the port is chosen here
    and handed to it (through conftest.free_port, checked below should `Server` change).
    """
    port = conftest.free_port()
    defaults = {"PUBLIC_URL": f"http://localhost:{port}", "CORS_ORIGINS": frontend.origin,
                "APP_URL": frontend.origin}
    original = conftest.free_port
    conftest.free_port = lambda: port
    try:
        server = Server(**{**defaults, **settings})
    finally:
        conftest.free_port = original
    if server.port != port:
        server.stop()
        raise RuntimeError("conftest.Server no longer takes its port from conftest.free_port: update start_api_server")
    server.api_url = f"http://localhost:{port}"
    return server


# --- the browser ---------------------------------------------------------------------------------

@dataclass
class Step:
    """A step's outcome as the page wrote it into <span id="step-NAME" data-...>."""

    state: str    # ok, error (an HTTP error the page could read), network-error (fetch rejected)
    status: str   # HTTP status, "0" for network-error
    code: str     # the API's error `code`, or the JS error name (TypeError) for network-error
    detail: str
    text: str


class Browser:
    """Headless Chromium with a temporary profile, and helpers with deadlines for the test pages."""

    def __init__(self, driver: Any, profile_dir: str):
        self.driver = driver
        self.profile_dir = profile_dir

    @classmethod
    def start(cls) -> "Browser":
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():
            pytest.fail("chromium and chromium-driver are missing: run scripts/install-deps.sh test")
        profile_dir = tempfile.mkdtemp(prefix="authserver-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM  # with the driver's path given too, Selenium Manager never runs
        for argument in CHROMIUM_ARGS + [f"--user-data-dir={profile_dir}"]:
            options.add_argument(argument)
        service = Service(executable_path=CHROMEDRIVER, log_output=subprocess.DEVNULL)
        driver = webdriver.Chrome(options=options, service=service)
        driver.set_page_load_timeout(2 * WAIT)
        driver.set_script_timeout(WAIT)
        return cls(driver, profile_dir)

    def quit(self) -> None:
        """Ends Chromium and chromedriver (Selenium stops the driver process it started, by PID)."""
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile_dir, ignore_errors=True)

    def reset(self) -> None:
        """A fresh start for the next test: no cookies, no cache, at about:blank. (The test pages
        keep tokens in memory only, never in web storage, so there is no storage to clear.)"""
        self.driver.get("about:blank")
        self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        self.driver.execute_cdp_cmd("Network.clearBrowserCache", {})

    # -- pages --------------------------------------------------------------------------------

    def open(self, url: str, timeout: float = WAIT) -> None:
        """Loads a test page and waits until its script has set <body data-ready="true">."""
        self.driver.get(url)
        self.wait_for(lambda d: d.execute_script("return document.body && document.body.dataset.ready") == "true",
                      timeout, f"page {url} did not become ready")

    def wait_for(self, condition: Any, timeout: float = WAIT, message: str = "") -> Any:
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(condition, message)

    def type(self, element_id: str, text: str) -> None:
        from selenium.webdriver.common.by import By

        element = self.driver.find_element(By.ID, element_id)
        element.clear()
        element.send_keys(text)

    def click(self, element_id: str) -> None:
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.ID, element_id).click()

    def text(self, element_id: str) -> str:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.ID, element_id).text

    def step(self, name: str, timeout: float = WAIT) -> Step:
        """Waits (at most `timeout`) until step `name` is neither idle nor pending; returns it."""
        script = ("const e = document.getElementById('step-' + arguments[0]);"
                  "return e && {state: e.dataset.state, status: e.dataset.status || '', code: e.dataset.code || '',"
                  " detail: e.dataset.detail || '', text: e.textContent};")
        found = self.wait_for(lambda d: (lambda s: s if s and s["state"] not in ("idle", "pending") else False)(
            d.execute_script(script, name)), timeout, f"step {name} did not finish")
        return Step(**found)

    def run(self, button_id: str, step_name: str | None = None, timeout: float = WAIT) -> Step:
        """Clicks a button and waits for its step (by default the step named like the button)."""
        name = step_name or button_id
        self.driver.execute_script("const e = document.getElementById('step-' + arguments[0]);"
                                   "if (e) e.dataset.state = 'idle';", name)
        self.click(button_id)
        return self.step(name, timeout)

    def document_cookie(self) -> str:
        return self.driver.execute_script("return document.cookie")

    def cookies(self, url: str) -> list[dict[str, Any]]:
        """Every cookie the browser would send to `url`, HttpOnly ones included (via DevTools)."""
        return self.driver.execute_cdp_cmd("Network.getCookies", {"urls": [url]})["cookies"]

    def fetch(self, url: str, init: dict[str, Any] | None = None) -> dict[str, Any]:
        """Runs fetch(url, init) in the current page: {"ok", "status", "body"} or {"error": "TypeError: ..."}."""
        script = """
            const [url, init, done] = arguments;
            fetch(url, init).then(async r => done({ok: r.ok, status: r.status, body: await r.text()}),
                                  e => done({error: e.name + ": " + e.message}));"""
        return self.driver.execute_async_script(script, url, init or {})

    def screenshot(self, path: str | Path) -> None:
        self.driver.save_screenshot(str(path))


@pytest.fixture(scope="session")
def chromium():
    running = Browser.start()
    yield running
    running.quit()


@pytest.fixture
def browser(chromium):
    chromium.reset()
    return chromium
