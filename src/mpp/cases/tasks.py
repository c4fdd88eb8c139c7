from django_tasks import task

from mpp.cases import documents


@task()
def scan_document(*, document_id: int) -> None:
    """Malware scan of one upload (clamd is a network call: always here, never in a request)."""
    documents.scan_document(document_id=document_id)


@task()
def render_output(*, output_id: int) -> None:
    """Draw and store an issued document, after the approving transaction committed."""
    from mpp.cases import outputs
    from mpp.cases.models import Output

    output = Output.objects.select_related("agency").filter(pk=output_id).first()
    if output is not None:
        outputs.render(output)
