from django_tasks import task

from mpp.accounts import assurance


@task()
def check_identity_with_registry(*, citizen_id: int) -> None:
    """Network call to the population registry: always here, never in a request."""
    assurance.check_with_registry(citizen_id=citizen_id)
