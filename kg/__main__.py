"""``python -m kg`` runs the command line."""

from kg.cli import app

__all__: list[str] = []

if __name__ == "__main__":
    app()
