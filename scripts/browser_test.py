#!/usr/bin/env python3
"""Real-browser test of the control panel (docs/CONTROL.md): headless Chromium opens the page of a running
`facelive run --control`, sees the preview update, moves the opacity slider, flips bypass with the keyboard
shortcut and the button, and reads the figures. Driven over the DevTools protocol with the standard library only.

    scripts/browser_test.py FACELIVE [--screenshots DIR]

Exits 0 and prints "N passed, 0 failed" when every check holds; 77 when no Chromium is installed.
"""
import argparse, base64, json, os, re, shutil, socket, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASTRONAUT = os.path.join(ROOT, "Tests/Fixtures/astronaut_public_domain.png")
INPUT = f"lavfi:movie={ASTRONAUT}:loop=0,setpts=N/(25*TB),scale=480:480"


class WebSocket:
    """A minimal RFC 6455 client: text frames, masked, no extensions (what the DevTools protocol needs)."""

    def __init__(self, url):
        host, port, path = re.match(r"ws://([^:/]+):(\d+)(/.*)", url).groups()
        self.sock = socket.create_connection((host, int(port)), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(f"websocket handshake refused: {head!r}")

    def send(self, text):
        data = text.encode()
        mask = os.urandom(4)
        header = bytearray([0x81])
        n = len(data)
        if n < 126:
            header.append(0x80 | n)
        elif n < 65536:
            header += bytes([0x80 | 126]) + n.to_bytes(2, "big")
        else:
            header += bytes([0x80 | 127]) + n.to_bytes(8, "big")
        self.sock.sendall(bytes(header) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise RuntimeError("websocket closed")
            data += chunk
        return data

    def receive(self):
        message = b""
        while True:
            first, second = self._exact(2)
            n = second & 0x7F
            if n == 126:
                n = int.from_bytes(self._exact(2), "big")
            elif n == 127:
                n = int.from_bytes(self._exact(8), "big")
            payload = self._exact(n)
            message += payload
            if first & 0x80:
                return message.decode()


class Page:
    """One page over the DevTools protocol."""

    def __init__(self, ws_url):
        self.ws = WebSocket(ws_url)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self.ws.receive())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def eval(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result["result"].get("value")

    def key(self, key, code):
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=key, code=code, text=key if kind == "keyDown" else "")


# Generous: in CI the whole Swift suite runs beside this on two cores (a met condition returns at once).
def wait(what, condition, timeout=600):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("facelive")
    parser.add_argument("--screenshots")
    args = parser.parse_args()
    browser = shutil.which("chromium-headless-shell") or shutil.which("chromium")
    if not browser:
        print("skipped: no chromium-headless-shell or chromium (scripts/install-browser.sh installs it)")
        return 77

    run = subprocess.Popen([args.facelive, "run", "-i", INPUT, "-o", "-", "-f", "nut", "--max-frames", "100000",
                            "--control", "127.0.0.1:0"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    profile = tempfile.mkdtemp(prefix="facelive-browser-")
    chrome = None
    passed = []
    try:
        line = ""
        while "control panel: http" not in line:
            line = run.stderr.readline()
            if not line:
                raise RuntimeError("facelive exited before printing the panel's URL")
        url = line.split("control panel: ", 1)[1].strip()
        api = url.rstrip("/")

        def get(path):
            with urllib.request.urlopen(api + path, timeout=30) as response:
                return json.load(response)

        chrome = subprocess.Popen([browser, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0",
                                   f"--user-data-dir={profile}", "--window-size=1280,900", url],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                  start_new_session=True)  # its own process group: helpers and renderers end with it
        devtools = ""
        while "DevTools listening on" not in devtools:
            devtools = chrome.stderr.readline()
            if not devtools:
                raise RuntimeError("chromium exited before its DevTools port opened")
        port = re.search(r"ws://[^:]+:(\d+)/", devtools).group(1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=30) as response:
            targets = json.load(response)
        page = Page(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])

        # The preview updates: two different picture numbers, each a decoded picture.
        first = wait("a preview picture", lambda: page.eval(
            "(() => { const i = document.getElementById('preview'); return i.complete && i.naturalWidth > 0 ? i.src : null })()"))
        wait("the preview to update", lambda: page.eval("document.getElementById('preview').src") != first)
        passed.append("preview updates")

        # The figures show up once a second.
        figures = wait("figures", lambda: (lambda t: t if t and "fps" in t and "latency p50" in t else None)(
            page.eval("document.getElementById('figures').innerText")))
        assert re.search(r"fps\s*\n?\s*\d", figures), figures
        passed.append("figures shown")

        # Moving the opacity slider changes the setting.
        page.eval("(() => { const s = document.getElementById('s-opacity'); s.value = 0.3;"
                  " s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); })()")
        wait("opacity 0.3", lambda: abs(get("/api/settings")["opacity"] - 0.3) < 1e-6)
        passed.append("opacity slider")

        # B flips bypass; the button flips it back; the page shows it.
        page.call("Runtime.evaluate", expression="document.body.focus()")
        page.key("b", "KeyB")
        wait("bypass on", lambda: get("/api/state")["bypass"] is True)
        wait("the switch to say SWAP OFF", lambda: page.eval("document.getElementById('bypass').textContent") == "SWAP OFF")
        passed.append("bypass shortcut")
        if args.screenshots:
            os.makedirs(args.screenshots, exist_ok=True)
        page.eval("document.getElementById('bypass').click()")
        wait("bypass off", lambda: get("/api/state")["bypass"] is False)
        passed.append("bypass button")

        # A photo whose face is too small to look sharp: uploaded through the page's own call, it becomes the face
        # and the page shows the warning as a warning, not an error.
        small = os.path.join(profile, "small.png")
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", ASTRONAUT, "-vf", "scale=170:170:flags=area", small],
                       check=True)
        with open(small, "rb") as f:
            data = base64.b64encode(f.read()).decode()
        page.eval("(() => { const b = Uint8Array.from(atob('" + data + "'), c => c.charCodeAt(0));"
                  " api('POST', '/api/face', new Blob([b]), { 'X-Filename': 'small.png' }); })()")
        wait("the small photo as the face", lambda: get("/api/state").get("face") == "small.png")
        shown = wait("the warning on the page", lambda: page.eval(
            "(() => { const e = document.getElementById('error'); return e.textContent ? [e.textContent, e.className] : null })()"))
        assert "pixels wide" in shown[0] and shown[1] == "warning", shown
        passed.append("photo warning")

        if args.screenshots:
            time.sleep(2)  # a fresh preview and a second of figures
            shot = page.call("Page.captureScreenshot", format="jpeg", quality=85)["data"]
            with open(os.path.join(args.screenshots, "control-panel.jpg"), "wb") as f:
                f.write(base64.b64decode(shot))
        print(f"{len(passed)} passed, 0 failed")
        return 0
    except (AssertionError, RuntimeError) as error:
        print(f"browser test: {error} (passed so far: {', '.join(passed) or 'none'})")
        print(f"{len(passed)} passed, 1 failed")
        return 1
    finally:
        if chrome:
            os.killpg(chrome.pid, 15)
            chrome.wait()
        run.send_signal(2)
        try:
            run.wait(timeout=30)
        except subprocess.TimeoutExpired:
            run.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
