"""Søk: the search contract, its database and Elasticsearch backends, and the search pages."""
