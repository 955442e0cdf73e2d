"""A throwaway PostgreSQL cluster for the tests and CI: initdb in a folder of its own, started on
127.0.0.1 at a free port (its socket in the same folder), with a database and a role that has a
password, for the URL the tests connect with.

usage: python -m tests.helpers.pg_cluster start DIR    (prints the URL on stdout, nothing else)
       python -m tests.helpers.pg_cluster stop DIR     (stops the server and removes DIR)

initdb refuses to run as root, so as root the server runs as the system user `cxmap-pg` (made
if missing), through runuser. Only the standard library is used: CI runs this before anything
is installed. The server is made to be quick and thrown away (no fsync) unless asked to be durable
(the benchmarks): never keep data in it.
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SYSTEM_USER = "cxmap-pg"  # the server's OS user when the caller is root
ADMIN = "cxmap_admin"  # the cluster's superuser, reached only through the socket in DIR
ROLE = "cxmap_test"  # the role the tests connect as, with a password, over TCP
DATABASE = "cxmap_test"
STATE = "cluster.json"


class ClusterError(Exception):
    """The cluster could not be made or started; the message says why in a line or two."""


@dataclass(frozen=True)
class Cluster:
    folder: Path
    url: str  # holds the role's password: never print it beside anything that is logged


def find_bin() -> Path | None:
    """The folder of PostgreSQL's server programs (the newest version installed), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parent.parent.name
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_user() -> str | None:
    """Who runs the server: None for the caller itself; as root, the system user (made if missing)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", SYSTEM_USER], check=True, capture_output=True)
    return SYSTEM_USER


def _run(command: list[str], user: str | None, folder: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    full = ["runuser", "-u", user, "--", *command] if user else command
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "LANG": "C", "PGTZ": "UTC"}
    return subprocess.run(full, cwd=folder, env=env, input=stdin, capture_output=True, text=True, timeout=120,
                          check=False)


def _check(done: subprocess.CompletedProcess[str], what: str) -> None:
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise ClusterError(f"{what} failed: " + " / ".join(tail))


def start(folder: Path, *, durable: bool = False) -> Cluster:
    """Make and start a cluster in `folder` (made if missing; it must be empty). `durable`: with
    PostgreSQL's own defaults for writing to disk (each commit flushed), as a real server runs;
    otherwise without flushing, quick and thrown away, for the tests."""
    bin_dir = find_bin()
    if bin_dir is None:
        raise ClusterError("PostgreSQL's initdb is not installed (Debian: apt-get install postgresql)")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise ClusterError(f"{folder} is not empty")
    user = _server_user()
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    folder.chmod(0o700)
    data, sock = folder / "data", folder / "sock"
    _check(_run(["mkdir", "-m", "700", str(data), str(sock)], user, folder), "making the cluster's folders")
    _check(_run([str(bin_dir / "initdb"), "-D", str(data), "-U", ADMIN, "-E", "UTF8", "--no-locale", "--no-sync",
                 "--auth-local=trust", "--auth-host=scram-sha-256"], user, folder), "initdb")
    settings = {"listen_addresses": "'127.0.0.1'", "unix_socket_directories": f"'{sock}'", "max_connections": "200",
                "timezone": "'UTC'"}
    if not durable:
        settings |= {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
    port = 0
    for _ in range(5):  # a free port may be taken by someone else before the server binds it
        port = _free_port()
        conf = "".join(f"{k} = {v}\n" for k, v in {**settings, "port": str(port)}.items())
        (data / "postgresql.auto.conf").write_text(conf)
        done = _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60",
                     "start"], user, folder)
        if done.returncode == 0:
            break
        log = (folder / "server.log").read_text(errors="replace") if (folder / "server.log").exists() else ""
        if "could not bind" not in log:
            raise ClusterError("the server did not start: " + " / ".join(log.strip().splitlines()[-3:]))
    else:
        raise ClusterError("the server found no free port in five tries")
    password = secrets.token_hex(16)
    _save(folder, {"bin": str(bin_dir), "user": user, "port": port})
    sql = (f"CREATE ROLE {ROLE} LOGIN CREATEDB CREATEROLE PASSWORD '{password}';\n"
           f"CREATE DATABASE {DATABASE} OWNER {ROLE};\n")
    # The password goes in on stdin, never on a command line other users can see.
    done = _run([str(bin_dir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(sock), "-p", str(port),
                 "-U", ADMIN, "-d", "postgres", "-f", "-"], user, folder, stdin=sql)
    if done.returncode != 0:
        stop(folder)
        _check(done, "creating the test role")
    return Cluster(folder, f"postgresql://{ROLE}:{password}@127.0.0.1:{port}/{DATABASE}")


def _save(folder: Path, state: dict[str, object]) -> None:
    fd = os.open(folder / STATE, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(state, f)


def stop(folder: Path) -> None:
    """Stop the cluster in `folder` (if it runs) and remove the folder."""
    state_file = folder / STATE
    if state_file.exists():
        state = json.loads(state_file.read_text())
        user = state["user"]
        pg_ctl = str(Path(state["bin"]) / "pg_ctl")
        _run([pg_ctl, "-D", str(folder / "data"), "-m", "immediate", "-w", "-t", "60", "stop"], user, folder)
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in {"start", "stop"}:
        print(__doc__, file=sys.stderr)
        return 2
    what, folder = argv[0], Path(argv[1])
    try:
        if what == "start":
            print(start(folder).url)
        else:
            stop(folder)
    except ClusterError as e:
        print(f"pg_cluster: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
