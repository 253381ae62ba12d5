"""FastAPI application: SPARQL endpoint, JSON API and pages over the kg package."""
