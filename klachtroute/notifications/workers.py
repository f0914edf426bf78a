"""Who is sending: the identity of a worker process, and whether it still lives.

A message is claimed ('sending') under the identity of the process that sends it:
host name, process id and the process's start time (so that a reused process id is not
taken for the same process). A claim by a process on this host that no longer runs is
given back to the queue by the next worker run at once; a claim from another host is
only given back after `deliver_mail --stuck-minutes` (this host cannot see that process).
"""

import functools
import os
import socket


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), or None when gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            stat = handle.read()
    except OSError:
        return None
    # Field 22 (starttime) comes after the command name, which is in parentheses.
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None


@functools.cache
def worker_identity() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_time(pid) or '?'}"


def worker_alive(identity: str) -> bool | None:
    """True or False for a process of this host; None when that cannot be known."""
    parts = identity.rsplit(":", 2)
    if len(parts) != 3:
        return None
    host, pid, started = parts
    if host != socket.gethostname() or not pid.isdigit() or not os.path.isdir("/proc"):
        return None
    current = _start_time(int(pid))
    if current is None:
        return False
    return started == "?" or current == started
