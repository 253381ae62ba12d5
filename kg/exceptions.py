"""Exceptions raised by :mod:`kg`; each message names the file, line or parameter at fault."""


class KGError(Exception):
    """Base class of every error :mod:`kg` reports to a user."""


class LoadError(KGError):
    """A data, ontology or shapes file could not be read (syntax, prefix, literal)."""


class QueryError(KGError):
    """A SPARQL query or one of its parameters is invalid."""


class ProjectionError(KGError):
    """A network could not be projected or read (unknown name, bad CSV)."""
