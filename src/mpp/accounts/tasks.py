from django_tasks import task

from mpp.accounts import assurance


@task()
def check_identity_with_registry(*, citizen_id: int) -> None:
    """Network call to the population registry: always here, never in a request."""
    assurance.check_with_registry(citizen_id=citizen_id)


@task()
def refresh_family_from_registry(*, citizen_id: int) -> None:
    """The family card from the population registry: a network call, so never in a request."""
    from mpp.accounts import family

    family.refresh_family(citizen_id=citizen_id)
