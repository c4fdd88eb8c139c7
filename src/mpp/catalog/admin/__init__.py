"""Catalogue admin: national admins keep templates and publish versions; regional managers keep
their own region's offerings and agencies. Every change goes through catalog.services.

One module per concern, as in catalog/services/: standards.py (reference data, templates,
versions), offerings.py (agencies, offerings), imports.py (catalogue imports). Importing them
registers their models with the admin site."""

from mpp.catalog.admin import imports, offerings, standards

__all__ = ["imports", "offerings", "standards"]
