from django_tasks import task

from mpp.cases import documents


@task()
def scan_document(*, document_id: int) -> None:
    """Malware scan of one upload (clamd is a network call: always here, never in a request)."""
    documents.scan_document(document_id=document_id)
