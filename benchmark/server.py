"""gunicorn serving the registry on one of the benchmark's databases, and the peak memory of its workers."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30
# gunicorn kills a request after 30 s by default; the benchmark measures the slowest admin pages instead.
REQUEST_TIMEOUT_S = 600


def database_url(database_name):
    """DATABASE_URL with its database replaced by ``database_name``: same server, user and options."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("the benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    return urlsplit(url)._replace(path=f"/{database_name}").geturl()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A running gunicorn: where it answers, its workers, and what it wrote to stderr."""

    def __init__(self, process, base_url, log):
        self.process, self.base_url, self.log = process, base_url, log

    def log_text(self):
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")

    def worker_pids(self):
        """The pids of the master's children, read from /proc."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                # The command name in parentheses may hold spaces; the parent pid is the 2nd field after it.
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    pids.append(int(stat.parent.name))
        return sorted(pids)

    def wait_until_ready(self, timeout=START_TIMEOUT_S):
        """Return once /readyz answers 200 (a worker is up and reaches the database); raise with the log if not."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with code {self.process.returncode}:\n{self.log_text()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/readyz", timeout=5):
                    return
            except urllib.error.HTTPError as error:
                raise RuntimeError(f"gunicorn answered /readyz with {error.code}:\n{self.log_text()}") from None
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log_text()}") from None
                time.sleep(0.2)


@contextlib.contextmanager
def serve(database_name, workers=2):
    """gunicorn with ``workers`` sync workers serving the registry (benchmark.settings) on ``database_name``.

    It listens on a free port of 127.0.0.1, and is stopped on leaving, also on an exception.
    """
    port = free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmark.settings",
        "DATABASE_URL": database_url(database_name),
    }
    command = [
        *(sys.executable, "-m", "gunicorn", "kolregistry.wsgi"),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync"),
        *("--timeout", str(REQUEST_TIMEOUT_S)),
    ]
    # A file, not a pipe: nobody reads the log while the crawl runs, and a full pipe would block the server.
    with tempfile.NamedTemporaryFile("w+", prefix="benchmark-gunicorn-", suffix=".log") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=environment, stdout=subprocess.DEVNULL, stderr=log
        )
        try:
            server = Server(process, f"http://127.0.0.1:{port}", log)
            server.wait_until_ready()
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def peak_rss_mb(pids):
    """The highest peak resident memory (VmHWM) among ``pids``, in MB; None when none of them is running."""
    peaks = []
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
    return round(max(peaks), 1) if peaks else None
