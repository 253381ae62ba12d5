"""A SPARQL query worker: ``kg.sparql.worker DB [--sandbox [--service-allow IRIS]] [options]``.

Options: ``--memory-quads N``, ``--memory-mb M``; ``IRIS`` is one argument, space-separated.

Started by :class:`kg.sparql.pool.QueryPool`. With ``--memory-mb`` it limits its own address
space (``RLIMIT_AS``): a query that needs more fails to allocate and the process aborts, which
the pool reports as :class:`kg.exceptions.QueryMemoryError`. It opens the store read-only
(and copies it into memory when it holds at most N quads), answers ``("ready", info)``,
then reads requests from stdin and writes ``(status, payload)`` frames to stdout until stdin
closes. Anything the process prints goes to stderr, so stray output cannot corrupt the frames.
"""

from __future__ import annotations

import os
import sys
import threading
import time

__all__ = ["main"]


def _exit_with_parent(parent: int) -> None:
    # A server killed with SIGKILL cannot stop its workers; a worker busy with a runaway query
    # would not notice its closed stdin until the query ends, so it watches its parent too.
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def main(argv: list[str]) -> int:
    """Serve requests on stdin/stdout; return the exit status."""
    # Take the real stdout for frames, then point fd 1 at stderr for everything else.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    inp = os.fdopen(os.dup(0), "rb")

    if "--memory-mb" in argv:
        import resource

        limit = int(argv[argv.index("--memory-mb") + 1]) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    sandboxed = False
    if "--sandbox" in argv:
        # Before the store is opened: RocksDB's threads inherit the filter from this thread.
        from kg.sparql import sandbox

        if "--service-allow" in argv:  # connections only to the allow-listed endpoints
            services = argv[argv.index("--service-allow") + 1].split()
            sandboxed = sandbox.allow_network_to(sandbox.destinations(services))
        else:
            sandboxed = sandbox.forbid_network()

    import pyoxigraph as ox

    from kg.sparql.pool import handle, read_frame, write_answer, write_frame

    try:
        store = ox.Store.read_only(argv[0])
    except OSError as exc:
        write_frame(out, ("error", str(exc)))
        return 1
    in_memory = False
    if "--memory-quads" in argv:
        limit = int(argv[argv.index("--memory-quads") + 1])
        if limit > 0 and len(store) <= limit:
            # Oxigraph answers 3-7x faster from memory than from RocksDB (measured on the
            # named queries); a small store is copied once per worker.
            memory = ox.Store()
            memory.bulk_extend(store)
            store, in_memory = memory, True
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    info = {"sandboxed": sandboxed, "pid": os.getpid(), "in_memory": in_memory}
    write_frame(out, ("ready", info))
    while True:
        try:
            request = read_frame(inp)
        except EOFError:
            return 0
        write_answer(out, *handle(store, request, sandboxed=sandboxed))


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:  # the server went away (it is stopping): nobody to answer
        os._exit(0)
