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

Why hand-written: the maintained binding of libseccomp (``python3-seccomp``) is a Debian
package, not on PyPI, so ``pip install`` could not bring it; the filter is twelve BPF
instructions.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import platform

__all__ = ["forbid_network"]

# Classic BPF opcodes (linux/filter.h) and seccomp return values (linux/seccomp.h).
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000 | errno.EACCES
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_AF_INET, _AF_INET6, _AF_PACKET = 2, 10, 17
_X32_SYSCALL_BIT = 0x40000000

# machine -> (AUDIT_ARCH_*, socket syscall number, io_uring_setup syscall number)
_ARCHES = {
    "x86_64": (0xC000003E, 41, 425),
    "amd64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
    "arm64": (0xC00000B7, 198, 425),
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
