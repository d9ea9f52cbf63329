"""Shared fixtures of the wechatpy interop tests: the wxmc binary that `cargo build -p wxmc`
makes, a merchant's test identity, and a `wxmc sandbox` on 127.0.0.1 for the client tests."""

import os
import pathlib
import subprocess
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
APPID = "wx6f1e0a2b3c4d5e6f"
MCH_ID = "1900000309"
API_KEY = "Interop0Key1For2Wechatpy3456789A"
APP_SECRET = "0123456789abcdef0123456789abcdef"
# Seconds to wait for a started simulator to print its base_url.
SANDBOX_START_TIMEOUT = 30


def wxmc_path():
    """Return the wxmc binary: WXMC_BIN if set, else the debug build of the target dir."""
    if os.environ.get("WXMC_BIN"):
        return pathlib.Path(os.environ["WXMC_BIN"])
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    return target / "debug" / "wxmc"


@pytest.fixture(scope="session")
def wxmc():
    path = wxmc_path()
    if not path.is_file():
        pytest.skip(f"wxmc binary not found at {path}: run `cargo build -p wxmc` first")
    return path


WECHATPY_MISSING = "wechatpy is not installed: run .ci/python-env and use the python it prints"


def run_wxmc(binary, args, stdin_text):
    """Run wxmc with `stdin_text` on standard input and return the finished process."""
    return subprocess.run(
        [str(binary), *args],
        input=stdin_text.encode("utf-8"),
        capture_output=True,
        timeout=30,
        check=False,
    )


class Sandbox:
    """A running `wxmc sandbox` and the files a client needs to reach it."""

    def __init__(self, process, base_url, state_dir):
        self.process = process
        self.base_url = base_url
        self.ca_pem = state_dir / "ca.pem"
        self.cert_pem = state_dir / "apiclient_cert.pem"
        self.key_pem = state_dir / "apiclient_key.pem"


def wait_for_base_url(process, log_path):
    """Return the base_url that `wxmc sandbox` prints once it listens."""
    deadline = time.monotonic() + SANDBOX_START_TIMEOUT
    while time.monotonic() < deadline:
        lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        # state_dir is the last line printed, after the server started listening.
        if any(line.startswith("state_dir: ") for line in lines):
            base_url = next(line for line in lines if line.startswith("base_url: "))
            return base_url.removeprefix("base_url: ").strip()
        if process.poll() is not None:
            raise RuntimeError(f"wxmc sandbox exited with {process.returncode}: {lines}")
        time.sleep(0.1)
    raise RuntimeError(f"wxmc sandbox printed no base_url in {SANDBOX_START_TIMEOUT} s")


@pytest.fixture(scope="module")
def sandbox(wxmc, tmp_path_factory):
    state_dir = tmp_path_factory.mktemp("sandbox-state")
    log_path = state_dir.parent / f"{state_dir.name}.log"
    args = [
        str(wxmc), "sandbox",
        "--port", "0",
        "--state", str(state_dir),
        "--seed", "7",
        "--appid", APPID,
        "--mch-id", MCH_ID,
        "--key", API_KEY,
        "--secret", APP_SECRET,
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    try:
        base_url = wait_for_base_url(process, log_path)
        # Every request of these tests goes to the loopback server started here.
        assert base_url.startswith("https://127.0.0.1:"), base_url
        yield Sandbox(process, base_url, state_dir)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
