"""Test hosts for the scale test: Linux network namespaces on one bridge, and the
services each runs (PostgreSQL primary and streaming replica, Redis, gunicorn,
HAProxy, Celery workers and beat). Root only; iproute2 and Debian's haproxy.

Every host is a namespace with its own network stack (loopback, one veth into the
bridge, one address), so a service listens on its host's address and reaches the
others only over the bridge, as on separate machines. The harness itself and the
SMTP server stay in the root namespace on the bridge's address.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.faults.services import _pg_bin
from tests.realservices import ROOT

PY = sys.executable


def sh(*cmd: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)


def wait_tcp(host: str, port: int, timeout: float = 30.0, proc=None, what: str = "") -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what or host} exited before listening on {host}:{port}")
        try:
            with socket.create_connection((host, port), timeout=0.3):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{what or host}: nothing listens on {host}:{port}")


class Network:
    """A bridge in the root namespace and one namespace per host, each with one veth."""

    def __init__(self) -> None:
        tag = os.getpid() % 10000
        self.tag = tag
        self.bridge = f"rtmbr{tag}"
        third = 100 + tag % 150
        self.prefix = f"10.213.{third}"
        self.gateway = f"{self.prefix}.1"
        self.hosts: dict[str, str] = {}
        self.links: list[str] = []

    def ns(self, name: str) -> str:
        return f"rtm{self.tag}-{name}"

    def up(self) -> None:
        sh("ip", "link", "add", self.bridge, "type", "bridge")
        self.links.append(self.bridge)
        sh("ip", "addr", "add", f"{self.gateway}/24", "dev", self.bridge)
        sh("ip", "link", "set", self.bridge, "up")

    def add_host(self, name: str, last_octet: int) -> str:
        ns = self.ns(name)
        address = f"{self.prefix}.{last_octet}"
        outside, inside = f"rv{self.tag}h{last_octet}", f"rv{self.tag}n{last_octet}"
        sh("ip", "netns", "add", ns)
        self.hosts[name] = address
        sh("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
        self.links.append(outside)
        sh("ip", "link", "set", inside, "netns", ns)
        sh("ip", "link", "set", outside, "master", self.bridge)
        sh("ip", "link", "set", outside, "up")
        run = ("ip", "netns", "exec", ns)
        sh(*run, "ip", "link", "set", "lo", "up")
        sh(*run, "ip", "addr", "add", f"{address}/24", "dev", inside)
        sh(*run, "ip", "link", "set", inside, "up")
        sh(*run, "ip", "route", "add", "default", "via", self.gateway)
        return address

    def exec_prefix(self, name: str) -> list[str]:
        return ["ip", "netns", "exec", self.ns(name)]

    def down(self) -> None:
        for name in list(self.hosts):
            ns = self.ns(name)
            # Anything still running in the namespace (a forgotten child) goes with it.
            pids = sh("ip", "netns", "pids", ns, check=False).stdout.split()
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
            sh("ip", "netns", "del", ns, check=False)
        for link in self.links:
            sh("ip", "link", "del", link, check=False)
        self.hosts.clear()
        self.links.clear()


class Process:
    """One long-running service process inside a host, in its own process group."""

    def __init__(self, net: Network, host: str, name: str, cmd: list[str], env: dict[str, str]):
        self.net, self.host, self.name, self.cmd, self.env = net, host, name, cmd, env
        self.log_path = Path(tempfile.mkstemp(prefix=f"rtm-scale-{name}-", suffix=".log")[1])
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [*self.net.exec_prefix(self.host), *self.cmd],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig: int) -> None:
        if self.alive():
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        """SIGKILL the whole process group: the host's service dies mid-work."""
        self.signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if not self.alive():
            return
        self.signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def cleanup(self) -> None:
        self.stop()
        self.log_path.unlink(missing_ok=True)


class NsPostgres:
    """A PostgreSQL cluster of its own (initdb + pg_ctl in a temp dir) on a host."""

    PORT = 5432  # inside the host's own network stack, where nothing else listens

    def __init__(self, net: Network, host: str) -> None:
        self.net, self.host = net, host
        self.address = net.hosts[host]
        self.dir = Path(tempfile.mkdtemp(prefix=f"rtm-scale-{host}-"))
        self.data = self.dir / "data"
        self.logfile = self.dir / "postgres.log"
        self.options = ""  # more -c settings
        shutil.chown(self.dir, "postgres", "postgres")

    def url(self, db: str = "rtm_scale") -> str:
        return f"postgres://postgres@{self.address}:{self.PORT}/{db}"

    def _as_postgres(self, *cmd: str, netns: bool = False) -> subprocess.CompletedProcess[str]:
        prefix = self.net.exec_prefix(self.host) if netns else []
        return sh(*prefix, "runuser", "-u", "postgres", "--", *cmd)

    def init_primary(self) -> None:
        self._as_postgres(_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")
        with (self.data / "pg_hba.conf").open("a") as hba:
            hba.write(f"host all all {self.net.prefix}.0/24 trust\n")
            hba.write(f"host replication all {self.net.prefix}.0/24 trust\n")
        self.start()
        self.psql("CREATE DATABASE rtm_scale")

    def init_replica_of(self, primary: NsPostgres) -> None:
        """pg_basebackup over the bridge with -R: standby.signal and primary_conninfo."""
        self._as_postgres(
            "pg_basebackup",
            "-h",
            primary.address,
            "-p",
            str(primary.PORT),
            "-U",
            "postgres",
            "-D",
            str(self.data),
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
        )
        self.start()

    def start(self) -> None:
        options = (
            f"-p {self.PORT} -k {self.dir} -c listen_addresses={self.address} "
            f"-c max_connections=60 -c fsync=off {self.options}"
        )
        self._as_postgres(
            _pg_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.logfile),
            "-w",
            "start",
            netns=True,
        )
        wait_tcp(self.address, self.PORT, what=f"postgres on {self.host}")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._as_postgres(
                _pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"
            )

    def psql(self, sql: str, db: str = "postgres") -> str:
        return sh(
            "psql",
            "-h",
            self.address,
            "-p",
            str(self.PORT),
            "-U",
            "postgres",
            "-d",
            db,
            "-v",
            "ON_ERROR_STOP=1",
            "-Atc",
            sql,
        ).stdout.strip()

    def cleanup(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def redis_process(net: Network, host: str, workdir: str) -> Process:
    address = net.hosts[host]
    cmd = [
        shutil.which("redis-server") or "redis-server",
        "--bind",
        address,
        "--port",
        "6379",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        workdir,
        "--protected-mode",
        "no",
    ]
    return Process(net, host, "redis", cmd, dict(os.environ))


HAPROXY_CONFIG = """\
global
    maxconn 2000

defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    # A request that could not be sent to a server, or got no answer because the server
    # died under it, is tried again on the other server (redispatch) - GET and HEAD only:
    # a cut POST may already have been committed, so it is not repeated.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
    option forwardfor
    option http-server-close

frontend www
    bind {lb}:80
    http-request disable-l7-retry unless METH_GET
    http-response set-header X-Served-By %[srv_name]
    default_backend web

backend web
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host {lb}
    http-check expect status 200
    timeout check 3s
    default-server inter 1s fall 2 rise 2
{servers}
"""


def haproxy_process(
    net: Network, host: str, backends: dict[str, str], port: int, workdir: str
) -> Process:
    conf = Path(workdir) / "haproxy.cfg"
    servers = "\n".join(
        f"    server {name} {address}:{port} check" for name, address in backends.items()
    )
    conf.write_text(HAPROXY_CONFIG.format(lb=net.hosts[host], servers=servers))
    cmd = [shutil.which("haproxy") or "/usr/sbin/haproxy", "-db", "-f", str(conf)]
    return Process(net, host, "haproxy", cmd, dict(os.environ))


def gunicorn_process(net: Network, host: str, env: dict[str, str], port: int) -> Process:
    cmd = [
        PY,
        "-m",
        "gunicorn",
        "rtm_workflow.wsgi:application",
        "--bind",
        f"{net.hosts[host]}:{port}",
        "--workers",
        "2",
        "--timeout",
        "30",
        "--graceful-timeout",
        "5",
        # Its own control socket: the default path under ~ would be shared by both hosts.
        "--control-socket",
        str(Path(env["RTM_VAR_DIR"]) / f"gunicorn-{host}.ctl"),
    ]
    return Process(net, host, f"gunicorn-{host}", cmd, env)


def worker_process(net: Network, host: str, env: dict[str, str]) -> Process:
    cmd = [
        PY,
        "-m",
        "celery",
        "-A",
        "rtm_workflow",
        "worker",
        "--loglevel=INFO",
        "--concurrency=1",
        "--pool=prefork",
        "--without-gossip",
        "--without-mingle",
        "-Q",
        "celery,mail",
        "-n",
        f"{host}@%h",
    ]
    return Process(net, host, f"celery-{host}", cmd, env)


def beat_process(net: Network, host: str, env: dict[str, str]) -> Process:
    return Process(net, host, "beat", [PY, "-m", "tests.scale.beat"], env)
