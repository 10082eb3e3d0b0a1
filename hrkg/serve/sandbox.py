"""The walls around the processes that evaluate queries, set by the kernel.

Oxigraph evaluates SERVICE by opening an HTTP connection, in the server and in pyoxigraph
alike, and has no switch to turn it off. So the engine process forbids itself the network
before it reads a single query: a seccomp filter makes ``socket``, ``connect``, ``bind``,
``listen`` and ``accept`` fail with EACCES (``socketpair`` only for AF_UNIX, which is how it
talks to the front), and also ``ptrace``, ``process_vm_readv/writev``, ``execve`` and
io_uring (which can open sockets without the ``socket`` call). The filter is inherited by
every worker the engine forks, cannot be removed (``PR_SET_NO_NEW_PRIVS``), and the engine
checks it by trying: a socket must fail, and a SERVICE query must fail without the front's
probe listener seeing a connection. If any of this cannot be set up, hrkg serve refuses to
start.

Running as root, the engine also drops every capability, so that it cannot reach into the
front's memory through ``/proc`` (the front marks itself not dumpable).

Each worker gets an address-space limit (``RLIMIT_AS``): a query that needs more memory
fails its allocation and ends only that worker.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import socket
import struct

__all__ = [
    "SandboxError",
    "forbid_network",
    "verify_no_socket",
    "limit_memory",
    "drop_capabilities",
    "not_dumpable",
    "die_with_parent",
]


class SandboxError(RuntimeError):
    """The kernel would not set up the walls: hrkg serve does not serve without them."""


_PR_SET_PDEATHSIG = 1
_PR_SET_DUMPABLE = 4
_PR_CAPBSET_DROP = 24
_PR_SET_SECCOMP = 22
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_RET_KILL_PROCESS = 0x80000000
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06

# name: (x86_64, aarch64)
_ARCHES = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_DENIED = {
    "socket": (41, 198),
    "connect": (42, 203),
    "accept": (43, 202),
    "bind": (49, 200),
    "listen": (50, 201),
    "accept4": (288, 242),
    "ptrace": (101, 117),
    "process_vm_readv": (310, 270),
    "process_vm_writev": (311, 271),
    "execve": (59, 221),
    "execveat": (322, 281),
    "io_uring_setup": (425, 425),
    "io_uring_enter": (426, 426),
    "io_uring_register": (427, 427),
}
_SOCKETPAIR = (53, 199)

_libc = ctypes.CDLL(None, use_errno=True)


def _prctl(option: int, arg: int = 0) -> None:
    if _libc.prctl(option, ctypes.c_ulong(arg), 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise SandboxError(f"prctl({option}) failed: {os.strerror(err)}")


class _Filter(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


def _program(machine: str) -> bytes:
    arch = _ARCHES[machine]
    col = 0 if machine == "x86_64" else 1
    ins: list[tuple[int, int, int, int]] = [
        (_LD_W_ABS, 0, 0, 4),
        (_JEQ_K, 1, 0, arch),
        (_RET_K, 0, 0, _RET_KILL_PROCESS),
        (_LD_W_ABS, 0, 0, 0),
    ]
    if machine == "x86_64":  # the x32 ABI numbers its calls from 0x40000000: none of them
        ins += [(_JGE_K, 0, 1, 0x40000000), (_RET_K, 0, 0, _RET_ERRNO | errno.ENOSYS)]
    for numbers in _DENIED.values():
        ins += [(_JEQ_K, 0, 1, numbers[col]), (_RET_K, 0, 0, _RET_ERRNO | errno.EACCES)]
    # socketpair(AF_UNIX, ...) only: args[0] is at offset 16 (low half, little-endian)
    ins += [
        (_JEQ_K, 0, 4, _SOCKETPAIR[col]),
        (_LD_W_ABS, 0, 0, 16),
        (_JEQ_K, 1, 0, socket.AF_UNIX),
        (_RET_K, 0, 0, _RET_ERRNO | errno.EACCES),
        (_RET_K, 0, 0, _RET_ALLOW),
        (_RET_K, 0, 0, _RET_ALLOW),
    ]
    return b"".join(struct.pack("HBBI", *i) for i in ins)


def forbid_network() -> None:
    """Install the seccomp filter on this process (and so on everything it forks)."""
    machine = platform.machine()
    if machine not in _ARCHES or os.uname().sysname != "Linux":
        raise SandboxError(
            f"no seccomp filter for {os.uname().sysname} on {machine}: "
            "hrkg serve needs Linux on x86_64 or aarch64"
        )
    code = _program(machine)
    prog = _Filter(len(code) // 8, code)
    _prctl(_PR_SET_NO_NEW_PRIVS, 1)
    if _libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        raise SandboxError(
            "the kernel refused the seccomp filter: " + os.strerror(ctypes.get_errno())
        )


def verify_no_socket() -> None:
    """Raise unless every kind of socket is refused here."""
    for family, kind in (
        (socket.AF_INET, socket.SOCK_STREAM),
        (socket.AF_INET6, socket.SOCK_STREAM),
        (socket.AF_INET, socket.SOCK_DGRAM),
        (socket.AF_UNIX, socket.SOCK_STREAM),
        (socket.AF_PACKET if hasattr(socket, "AF_PACKET") else socket.AF_INET, socket.SOCK_RAW),
    ):
        try:
            s = socket.socket(family, kind)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EPERM):
                raise SandboxError(
                    f"socket({family!r}) failed, but not by the filter: {exc}"
                ) from exc
            continue
        s.close()
        raise SandboxError(f"the engine could open a {family!r} socket: the filter is not in force")


def drop_capabilities() -> None:
    """As root: no capabilities left, in this process and whatever it forks."""
    if os.geteuid() != 0:
        return
    for cap in range(64):
        if _libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() != errno.EINVAL:
            raise SandboxError(f"cannot drop capability {cap}: " + os.strerror(ctypes.get_errno()))

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [
            ("effective", ctypes.c_uint32),
            ("permitted", ctypes.c_uint32),
            ("inheritable", ctypes.c_uint32),
        ]

    header, data = Header(0x20080522, 0), (Data * 2)()
    if _libc.capset(ctypes.byref(header), data) != 0:
        raise SandboxError("cannot drop capabilities: " + os.strerror(ctypes.get_errno()))


def limit_memory(extra_bytes: int) -> int:
    """Cap this process's address space at what it maps now plus ``extra_bytes``; returns
    the cap."""
    with open("/proc/self/status", encoding="ascii") as f:
        size = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    cap = size + extra_bytes
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    return cap


def not_dumpable() -> None:
    """No core dumps and no /proc/<pid>/mem for processes without CAP_SYS_PTRACE."""
    _prctl(_PR_SET_DUMPABLE, 0)


def die_with_parent() -> None:
    """Linux: SIGKILL when the parent dies, so no engine outlives hrkg serve."""
    _prctl(_PR_SET_PDEATHSIG, 9)
