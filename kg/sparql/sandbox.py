"""Forbid network sockets in the current process (Linux seccomp), used by SPARQL query workers.

Why: Oxigraph evaluates ``SERVICE <iri> { … }`` by making HTTP requests itself. The endpoint
refuses queries that contain ``SERVICE`` before they run (:mod:`kg.sparql.text`), but a
lexical check is only as good as its agreement with Oxigraph's parser. Workers therefore also
drop the right to open IP sockets, so a query that slipped through still cannot make the
server call another host. The filter is inherited by every thread the worker starts later
(RocksDB, Oxigraph) and cannot be removed.

The filter answers ``EACCES`` to ``socket(AF_INET | AF_INET6 | AF_PACKET, …)`` and to
``io_uring_setup`` (io_uring can create sockets without the ``socket`` system call); Unix
sockets and pipes keep working. It is written with :mod:`ctypes` (no extra dependency) and
supports x86-64 and AArch64; elsewhere :func:`forbid_network` returns ``False``.

With an allow-list of ``SERVICE`` endpoints (``KG_SERVICE_ALLOW``) the filter stays on, as an
**egress check per destination** (:func:`allow_network_to`): IP sockets may be created, but
every ``connect``, ``sendmsg``/``sendmmsg`` and addressed ``sendto`` is held by the kernel
(``SECCOMP_RET_USER_NOTIF``) and decided by a supervisor thread, which reads the destination
address and lets the call go on only to an address the allow-listed hosts resolved to at start
(with their ports) or to a name server of ``/etc/resolv.conf`` on port 53; anything else gets
``EACCES``. So a query that slips past the text check still reaches no host outside the list.
What remains: a name lookup of any host name reaches the configured name servers (DNS is how
Oxigraph finds the allowed hosts), and an allowed host whose address changes after the worker
started is refused until the worker is replaced.

Why hand-written: the maintained binding of libseccomp (``python3-seccomp``) is a Debian
package, not on PyPI, so ``pip install`` could not bring it; the filter is twelve BPF
instructions.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import ipaddress
import platform
import socket
import struct
import threading
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["allow_network_to", "destinations", "forbid_network"]

# Classic BPF opcodes (linux/filter.h) and seccomp return values (linux/seccomp.h).
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06
_RET_ALLOW = 0x7FFF0000
_RET_USER_NOTIF = 0x7FC00000
_RET_ERRNO = 0x00050000 | errno.EACCES
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_AF_UNSPEC, _AF_UNIX, _AF_INET, _AF_INET6, _AF_PACKET = 0, 1, 2, 10, 17
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_NEW_LISTENER = 1 << 3
_NOTIF_RECV = 0xC0502100  # _IOWR('!', 0, struct seccomp_notif), 80 bytes
_NOTIF_SEND = 0xC0182101  # _IOWR('!', 1, struct seccomp_notif_resp), 24 bytes
_FLAG_CONTINUE = 1
_NOTIF = struct.Struct("=QII iI Q 6Q")  # id, pid, flags, nr, arch, ip, args[6]
_RESP = struct.Struct("=QqiI")  # id, val, error, flags
_X32_SYSCALL_BIT = 0x40000000

# machine -> (AUDIT_ARCH_*, socket syscall number, io_uring_setup syscall number)
_ARCHES = {
    "x86_64": (0xC000003E, 41, 425),
    "amd64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
    "arm64": (0xC00000B7, 198, 425),
}
# machine -> syscall numbers of connect, sendto, sendmsg, sendmmsg, seccomp
_NET_CALLS = {
    "x86_64": (42, 44, 46, 307, 317),
    "amd64": (42, 44, 46, 307, 317),
    "aarch64": (203, 206, 211, 269, 277),
    "arm64": (203, 206, 211, 269, 277),
}


class _SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint32),
    ]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _program(arch: int, nr_socket: int, nr_uring: int) -> list[tuple[int, int, int, int]]:
    # Offsets into struct seccomp_data: nr at 0, arch at 4, args[0] (low word) at 16.
    return [
        (_LD_W_ABS, 0, 0, 4),  # 0: A = arch
        (_JEQ_K, 1, 0, arch),  # 1: native ABI -> 3
        (_RET_K, 0, 0, _RET_ERRNO),  # 2: another ABI (e.g. int 0x80): refuse
        (_LD_W_ABS, 0, 0, 0),  # 3: A = syscall number
        (_JGE_K, 0, 1, _X32_SYSCALL_BIT),  # 4: x32 syscalls -> 5
        (_RET_K, 0, 0, _RET_ERRNO),  # 5
        (_JEQ_K, 0, 1, nr_uring),  # 6: io_uring_setup -> 7
        (_RET_K, 0, 0, _RET_ERRNO),  # 7
        (_JEQ_K, 0, 4, nr_socket),  # 8: socket -> 9, anything else -> 13
        (_LD_W_ABS, 0, 0, 16),  # 9: A = domain
        (_JEQ_K, 3, 0, _AF_INET),  # 10 -> 14
        (_JEQ_K, 2, 0, _AF_INET6),  # 11 -> 14
        (_JEQ_K, 1, 0, _AF_PACKET),  # 12 -> 14
        (_RET_K, 0, 0, _RET_ALLOW),  # 13
        (_RET_K, 0, 0, _RET_ERRNO),  # 14
    ]


def forbid_network() -> bool:
    """Install a seccomp filter that refuses IP sockets for this process and its future threads.

    Returns
    -------
    bool
        ``True`` when the filter is in place; ``False`` when the platform does not support it
        (not Linux, an unknown architecture, or seccomp unavailable), in which case nothing
        changed.

    Notes
    -----
    Call it before the process starts threads: a seccomp filter applies to the calling thread
    and to the threads it creates afterwards.
    """
    arch = _ARCHES.get(platform.machine().lower())
    if platform.system() != "Linux" or arch is None:
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    insns = _program(*arch)
    filters = (_SockFilter * len(insns))(*[_SockFilter(*i) for i in insns])
    prog = _SockFprog(len(insns), filters)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    rc = libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0)
    return rc == 0


# --------------------------------------------------------------------------------------------
# Egress check per destination (with an allow-list)


def _assemble(code: list[tuple[int, str | int, str | int, int] | str]) -> list[tuple[int, ...]]:
    """Resolve label names in jump targets into BPF's forward offsets."""
    labels, index = {}, 0
    for item in code:
        if isinstance(item, str):
            labels[item] = index
        else:
            index += 1
    out, index = [], 0
    for item in code:
        if isinstance(item, str):
            continue
        op, jt, jf, k = item
        jt = labels[jt] - index - 1 if isinstance(jt, str) else jt
        jf = labels[jf] - index - 1 if isinstance(jf, str) else jf
        out.append((op, jt, jf, k))
        index += 1
    return out


def _egress_program(machine: str) -> list[tuple[int, ...]]:
    arch, nr_socket, nr_uring = _ARCHES[machine]
    nr_connect, nr_sendto, nr_sendmsg, nr_sendmmsg, _ = _NET_CALLS[machine]
    return _assemble(
        [
            (_LD_W_ABS, 0, 0, 4),
            (_JEQ_K, "native", "deny", arch),
            "native",
            (_LD_W_ABS, 0, 0, 0),
            (_JGE_K, "deny", 0, _X32_SYSCALL_BIT),
            (_JEQ_K, "deny", 0, nr_uring),
            (_JEQ_K, "socket", 0, nr_socket),
            (_JEQ_K, "notify", 0, nr_connect),
            (_JEQ_K, "notify", 0, nr_sendmsg),
            (_JEQ_K, "notify", 0, nr_sendmmsg),
            (_JEQ_K, "sendto", "allow", nr_sendto),
            "sendto",  # sendto(fd, buf, len, flags, dest_addr, addrlen): held if addressed
            (_LD_W_ABS, 0, 0, 16 + 8 * 4),
            (_JEQ_K, 0, "notify", 0),
            (_LD_W_ABS, 0, 0, 16 + 8 * 4 + 4),
            (_JEQ_K, "allow", "notify", 0),
            "socket",
            (_LD_W_ABS, 0, 0, 16),
            (_JEQ_K, "deny", "allow", _AF_PACKET),
            "notify",
            (_RET_K, 0, 0, _RET_USER_NOTIF),
            "allow",
            (_RET_K, 0, 0, _RET_ALLOW),
            "deny",
            (_RET_K, 0, 0, _RET_ERRNO),
        ]
    )


def _name_servers(resolv: Path = Path("/etc/resolv.conf")) -> set[tuple[str, int]]:
    out = set()
    with contextlib.suppress(OSError):
        for line in resolv.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] == "nameserver":
                with contextlib.suppress(ValueError):
                    out.add((str(ipaddress.ip_address(parts[1].split("%")[0])), 53))
    return out


def destinations(services: Iterable[str]) -> set[tuple[str, int]]:
    """Return the ``(address, port)`` pairs the allow-listed ``SERVICE`` IRIs resolve to now.

    Parameters
    ----------
    services : iterable of str
        Endpoint IRIs (``KG_SERVICE_ALLOW``); an IRI that does not resolve adds nothing.
    """
    out = set()
    for iri in services:
        parts = urlsplit(iri)
        if not parts.hostname:
            continue
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
        except (OSError, ValueError):
            continue
        for info in infos:
            out.add((_normal(info[4][0]), port))
    return out


def _normal(address: str) -> str:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


def _destination(raw: bytes) -> tuple[str, int] | str | None:
    """Read a ``struct sockaddr``: ``(address, port)`` for IP, ``"local"`` for Unix, else None."""
    if len(raw) < 2:
        return None
    family = struct.unpack_from("=H", raw)[0]
    if family in (_AF_UNIX, _AF_UNSPEC):
        return "local"  # a Unix socket, or disconnecting a datagram socket
    if family == _AF_INET and len(raw) >= 8:
        address = socket.inet_ntop(socket.AF_INET, raw[4:8])
        return _normal(address), struct.unpack_from("!H", raw, 2)[0]
    if family == _AF_INET6 and len(raw) >= 24:
        address = socket.inet_ntop(socket.AF_INET6, raw[8:24])
        return _normal(address), struct.unpack_from("!H", raw, 2)[0]
    return None


def _read(address: int, size: int) -> bytes:
    if not address or size <= 0:
        return b""
    return ctypes.string_at(address, min(size, 128))


class _MsgHdr(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_void_p),
        ("namelen", ctypes.c_uint32),
        ("iov", ctypes.c_void_p),
        ("iovlen", ctypes.c_size_t),
        ("control", ctypes.c_void_p),
        ("controllen", ctypes.c_size_t),
        ("flags", ctypes.c_int),
    ]


def _allowed(nr: int, args: tuple[int, ...], calls: tuple[int, ...], allow: set) -> bool:
    nr_connect, nr_sendto, nr_sendmsg, nr_sendmmsg, _ = calls
    if nr == nr_connect:
        addresses = [_read(args[1], args[2])]
    elif nr == nr_sendto:
        addresses = [_read(args[4], args[5])]
    elif nr in (nr_sendmsg, nr_sendmmsg):
        count = 1 if nr == nr_sendmsg else min(args[2], 1024)
        # struct mmsghdr is a msghdr followed by an unsigned int (padded to 8 bytes)
        step = ctypes.sizeof(_MsgHdr) + (0 if nr == nr_sendmsg else 8)
        addresses = []
        for i in range(count):
            hdr = _MsgHdr.from_address(args[1] + i * step)
            if hdr.name:
                addresses.append(_read(hdr.name, hdr.namelen))
    else:  # pragma: no cover - the filter holds nothing else
        return False
    for raw in addresses:
        dest = _destination(raw) if raw else "local"
        if dest != "local" and dest not in allow:
            return False
    return True


def _supervise(libc: ctypes.CDLL, fd: int, calls: tuple[int, ...], allow: set) -> None:
    notif = ctypes.create_string_buffer(_NOTIF.size)
    resp = ctypes.create_string_buffer(_RESP.size)
    while True:
        ctypes.memset(notif, 0, _NOTIF.size)
        if libc.ioctl(fd, ctypes.c_ulong(_NOTIF_RECV), notif) != 0:
            if ctypes.get_errno() in (errno.EINTR, errno.ENOENT):
                continue
            return
        fields = _NOTIF.unpack(notif.raw)
        ident, nr, args = fields[0], fields[3], fields[6:]
        try:
            ok = _allowed(nr, args, calls, allow)
        except (OSError, ValueError, struct.error):
            ok = False
        answer = (ident, 0, 0, _FLAG_CONTINUE) if ok else (ident, 0, -errno.EACCES, 0)
        ctypes.memmove(resp, _RESP.pack(*answer), _RESP.size)
        libc.ioctl(fd, ctypes.c_ulong(_NOTIF_SEND), resp)  # ENOENT: the caller is gone


def allow_network_to(allow: set[tuple[str, int]]) -> bool:
    """Filter this process's connections: only to ``allow`` (and name servers on port 53).

    Parameters
    ----------
    allow : set of (str, int)
        Destination addresses and ports (see :func:`destinations`).

    Returns
    -------
    bool
        ``True`` when the filter and its supervisor thread are in place; ``False`` when the
        platform does not support it (nothing changed then).

    Notes
    -----
    Call it before the process starts other threads. The supervisor is a thread of this
    process: a query cannot run code, only make Oxigraph connect, and Oxigraph's calls wait
    in the kernel until the supervisor answers (pyoxigraph releases the GIL while it runs).
    """
    machine = platform.machine().lower()
    if platform.system() != "Linux" or machine not in _ARCHES:
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    insns = _egress_program(machine)
    filters = (_SockFilter * len(insns))(*[_SockFilter(*i) for i in insns])
    prog = _SockFprog(len(insns), filters)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    calls = _NET_CALLS[machine]
    libc.syscall.restype = ctypes.c_long
    fd = libc.syscall(
        ctypes.c_long(calls[4]),
        ctypes.c_long(_SECCOMP_SET_MODE_FILTER),
        ctypes.c_long(_SECCOMP_FILTER_FLAG_NEW_LISTENER),
        ctypes.byref(prog),
    )
    if fd < 0:
        return False
    allowed = {(_normal(a), p) for a, p in allow} | _name_servers()
    threading.Thread(
        target=_supervise, args=(libc, fd, calls, allowed), name="kg-egress", daemon=True
    ).start()
    return True
