"""Every error type :mod:`kg` raises to a user, in one place.

Each message names the file, line or parameter at fault, in the words of the Python API
(parameter names, not command-line flags). The CLI prints the message on one line and exits 2
(1 for :class:`NotFoundError` and :class:`AmbiguousError`); the API chooses the HTTP status from
the exception's type alone (:data:`api.errors.STATUS`), never from its text.

==============================  ==========================================================
error                           meaning
==============================  ==========================================================
:class:`KGError`                base class
:class:`LoadError`              a data, ontology or shapes file cannot be read
:class:`QueryError`             a SPARQL query or one of its parameters is invalid
:class:`QueryTimeoutError`      a query ran past its time limit and was stopped
:class:`QueryMemoryError`       a query needed more memory than a worker may use
:class:`NotAcceptableError`     no result format the client accepts
:class:`ServiceRefusedError`    the query calls a SERVICE that is not allowed
:class:`WorkerError`            a query worker died or could not start
:class:`ProjectionError`        a network cannot be projected or read (bad CSV, no edges)
:class:`InvalidParameterError`  a parameter has a value outside its allowed set
:class:`NotFoundError`          nothing has the requested name (query, network, entity)
:class:`UnknownNetworkError`    no network of that name
:class:`UnknownQueryError`      no named query of that name
:class:`UnknownEntityError`     no node of the graph has that identifier
:class:`AmbiguousError`         a name matches several things
:class:`SettingsError`          a ``KG_*`` environment variable has an unusable value
:class:`UploadError`            a remote store refused or could not be reached
:class:`ImportInputError`       a file given to ``kg import`` is invalid (names file and record)
:class:`ImportRefusedError`     an import would break the shapes; nothing was written
==============================  ==========================================================
"""

from __future__ import annotations

__all__ = [
    "AmbiguousError",
    "ImportInputError",
    "ImportRefusedError",
    "InvalidParameterError",
    "KGError",
    "LoadError",
    "NotAcceptableError",
    "NotFoundError",
    "ProjectionError",
    "QueryError",
    "QueryMemoryError",
    "QueryTimeoutError",
    "ServiceRefusedError",
    "SettingsError",
    "UnknownEntityError",
    "UnknownNetworkError",
    "UnknownQueryError",
    "UploadError",
    "WorkerError",
]


class KGError(Exception):
    """Base class of every error :mod:`kg` reports to a user."""


class LoadError(KGError):
    """A data, ontology or shapes file could not be read (syntax, prefix, literal)."""


class QueryError(KGError):
    """A SPARQL query or one of its parameters is invalid."""


class QueryTimeoutError(QueryError):
    """A query ran past its time limit and was stopped (``KG_QUERY_TIMEOUT``)."""


class QueryMemoryError(QueryError):
    """A query needed more memory than a worker may use (``KG_WORKER_MEMORY_MB``)."""


class NotAcceptableError(QueryError):
    """The query's result kind has no format the client accepts (HTTP 406)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class ServiceRefusedError(QueryError):
    """The query tried to call a SERVICE the endpoint does not allow."""


class WorkerError(KGError):
    """A query worker died or could not start (out of memory, killed, store unreadable)."""


class ProjectionError(KGError):
    """A network could not be projected or read (unknown name, bad CSV)."""


class InvalidParameterError(KGError):
    """A parameter has a value outside its allowed set; ``param`` names it."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param


class NotFoundError(KGError):
    """Nothing has the requested name or identifier."""


class UnknownQueryError(NotFoundError, QueryError):
    """No named query has the requested name."""


class UnknownNetworkError(NotFoundError, ProjectionError):
    """The requested network is not one of :func:`kg.network.catalogue.list_networks`."""


class UnknownEntityError(NotFoundError):
    """No node of the graph has the requested identifier."""


class AmbiguousError(KGError):
    """A name matches several things; ``candidates`` lists them."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


class SettingsError(KGError):
    """A ``KG_*`` environment variable has a value that cannot be used; the message names it."""


class UploadError(KGError):
    """A remote store could not be reached or refused an upload."""


class ImportInputError(LoadError):
    """A file given to ``kg import`` is invalid: the message names the file and the record.

    The record is located as the format allows: sheet and row (and column), JSON pointer, or XML
    line. Nothing is written.
    """


class ImportRefusedError(KGError):
    """An import's result violates the shapes; the message lists the located violations."""
