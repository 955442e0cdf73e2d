"""A hostile member of a team folder, as a separate process, for the store's security tests.

usage: python -m tests.helpers.attacker [--as-nobody] swap LOCK TARGET STOP
           keep turning LOCK into a symbolic link to TARGET and back into a plain file, until
           STOP exists; prints "swapping" when it starts and "swaps N" at the end
       python -m tests.helpers.attacker [--as-nobody] plant TARGET AT
           put a symbolic link to TARGET in the place of AT
       python -m tests.helpers.attacker [--as-nobody] read FILE...
           print, for each FILE, "FILE READ CONTENT" or "FILE DENIED REASON"

With --as-nobody (which needs root) it first becomes the unprivileged user `nobody`. It imports
nothing of cxmap's: it is what anyone in the group could run.
"""

from __future__ import annotations

import os
import sys

NOBODY = 65534


def swap(lock: str, target: str, stop: str) -> None:
    link, plain = lock + ".link", lock + ".plain"
    print("swapping", flush=True)
    swaps = 0
    while not os.path.lexists(stop):
        os.symlink(target, link)
        os.replace(link, lock)
        open(plain, "wb").close()
        os.replace(plain, lock)
        swaps += 1
    print("swaps", swaps)


def plant(target: str, at: str) -> None:
    os.symlink(target, at + ".planted")
    os.replace(at + ".planted", at)


def read(*names: str) -> None:
    for name in names:
        try:
            with open(name, "rb") as f:
                print(name, "READ", f.read().decode("utf-8", "replace").replace("\n", " "))
        except OSError as e:
            print(name, "DENIED", e.strerror)


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[0] == "--as-nobody":
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
        args = args[1:]
    {"swap": swap, "plant": plant, "read": read}[args[0]](*args[1:])
