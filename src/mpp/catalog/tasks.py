from django_tasks import task

from mpp.catalog.models import CatalogImport
from mpp.catalog.services.imports import process_import


@task()
def process_catalog_import(*, import_id: int) -> None:
    """Runs once per import; a second run of a finished import does nothing."""
    job = CatalogImport.objects.filter(pk=import_id).first()
    if job is None or job.status in (CatalogImport.Status.DONE, CatalogImport.Status.REJECTED):
        return
    process_import(job=job)
