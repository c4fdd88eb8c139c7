"""Agency systems act on applications through the same workflow engine and rules as officers.

An agency system signs in with OAuth2 client credentials from the platform's provider; its
registration (`ClientPolicy`) names its agency and allows the `agency` scope. It sees and moves
only applications of its agency's regions that its agency handles; anything else is a 404 with
no hint. Each change carries the caller's own event id: the same id again returns the first
answer and changes nothing; the same id with another request is refused (409).

Besides workflow actions and notes, a system attaches the documents it issued (outputs) and
reads the documents attached to an application; each read goes to the citizen's access log.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.models import ClientPolicy
from mpp.cases import comments
from mpp.cases import queries as case_queries
from mpp.cases.models import Application, ApplicationDocument, Document
from mpp.cases.output_access import verify_url
from mpp.cases.submission_checks import check_named_fields
from mpp.catalog.models import Agency
from mpp.core.errors import Conflict, InvalidInput, NotFound
from mpp.integrations.models import InboundCall
from mpp.workflow import engine
from mpp.workflow.models import Step

MAX_EVENT_ID = 100


@dataclass(frozen=True)
class AgencyClient:
    client_id: int  # the OAuth2 application
    name: str
    agency: Agency

    def actor(self) -> engine.Actor:
        return engine.Actor.agency_system(
            agency_id=self.agency.pk,
            label=_("%(system)s (sistem %(agency)s)")
            % {"system": self.name, "agency": self.agency.name},
        )


def client_for(application: Any) -> AgencyClient | None:
    """The agency client an OAuth2 application is registered as, or None."""
    policy = (
        ClientPolicy.objects.select_related("agency")
        .filter(application_id=application.pk, agency__isnull=False)
        .first()
    )
    if policy is None or policy.agency is None or "agency" not in policy.allowed_scopes:
        return None
    return AgencyClient(client_id=application.pk, name=application.name, agency=policy.agency)


def applications_of(client: AgencyClient) -> QuerySet[Application]:
    """What the agency handles: its offerings and any step assigned to it, in its regions."""
    agency = client.agency
    regions = {agency.region_id, *agency.service_area.values_list("pk", flat=True)}
    return (
        Application.objects.filter(region_id__in=regions)
        .filter(Q(offering__agency=agency) | Q(steps__agency=agency))
        .distinct()
    )


def application_for(client: AgencyClient, tracking: str) -> Application:
    found = (
        applications_of(client)
        .filter(tracking=tracking)
        .select_related("offering__template", "applicant")
        .first()
    )
    if found is None:
        raise NotFound(_("Permohonan tidak ditemukan."))
    return found


def available_actions(client: AgencyClient, application: Application) -> dict[str, list[str]]:
    """Per open step of the agency: the actions its system may take."""
    process = engine.process_of(application)
    result: dict[str, list[str]] = {}
    for step in application.steps.filter(status=Step.Status.OPEN, agency=client.agency):
        spec = process.steps[step.key]
        names = [
            a.name
            for a in spec.actions.values()
            if engine.system_may_take(client.agency.pk, step, a)
        ]
        if names:
            result[step.key] = names
    return result


def _fingerprint(**parts: Any) -> str:
    return hashlib.sha256(
        json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()


def _clean_event_id(event_id: str) -> str:
    event_id = (event_id or "").strip()
    if not event_id or len(event_id) > MAX_EVENT_ID:
        raise InvalidInput(
            _("event_id wajib diisi (maksimal %(n)s karakter).") % {"n": MAX_EVENT_ID},
            field="event_id",
        )
    return event_id


def act(
    client: AgencyClient,
    *,
    tracking: str,
    step_key: str,
    action: str,
    event_id: str,
    reason: str = "",
    fields: list[str] | None = None,
) -> dict:
    """Take a workflow action as the agency's system; returns the application's state."""
    fingerprint = _fingerprint(
        kind="act", tracking=tracking, step=step_key, action=action, reason=reason,
        fields=sorted(fields or []),
    )  # fmt: skip

    def change(application: Application) -> dict:
        check_named_fields(application, fields or ())
        engine.act(
            application, step_key=step_key, action_name=action, actor=client.actor(),
            reason=reason, fields=fields or (),
        )  # fmt: skip
        return state_of(client, application)

    return _once(client, event_id=event_id, fingerprint=fingerprint, tracking=tracking,
                 change=change)  # fmt: skip


def comment(
    client: AgencyClient, *, tracking: str, body: str, to_citizen: bool, event_id: str
) -> dict:
    """A note from the agency's system: internal for officers, or to the citizen."""
    body = comments.clean_body(body)
    fingerprint = _fingerprint(kind="comment", tracking=tracking, body=body, to_citizen=to_citizen)

    def change(application: Application) -> dict:
        note = comments.add_comment(
            application, author=None, author_label=client.actor().label, body=body,
            to_citizen=to_citizen,
        )  # fmt: skip
        return {"comment_id": note.pk, "tracking": application.tracking}

    return _once(client, event_id=event_id, fingerprint=fingerprint, tracking=tracking,
                 change=change)  # fmt: skip


def attach_output(
    client: AgencyClient, *, tracking: str, upload: Any, title: str, event_id: str
) -> dict:
    """The agency's system attaches the document it issued (a PDF) as an output."""
    from mpp.cases import agency_outputs

    data = agency_outputs.read_pdf(upload)
    title = agency_outputs.clean_title(title)
    digest = hashlib.sha256(data).hexdigest()
    fingerprint = _fingerprint(kind="output", tracking=tracking, sha256=digest, title=title)
    stored: list[Any] = []

    def change(application: Application) -> dict:
        output = agency_outputs.attach(
            application, agency=client.agency, data=data, sha256=digest, title=title,
            at=timezone.now(),
        )  # fmt: skip
        stored.append(output)
        return {
            "tracking": application.tracking, "code": output.code, "title": output.title,
            "sha256": output.sha256, "issued_at": output.issued_at.isoformat(),
            "verify_url": verify_url(output.code),
        }  # fmt: skip

    try:
        response = _once(client, event_id=event_id, fingerprint=fingerprint, tracking=tracking,
                         change=change)  # fmt: skip
    except BaseException:
        _drop_files(stored, keep="")
        raise
    _drop_files(stored, keep=response["code"])  # a twin may have won: its file stays, ours goes
    return response


def _drop_files(outputs: list[Any], *, keep: str) -> None:
    """Files of outputs whose rows went with a rolled-back transaction."""
    for output in outputs:
        if output.code != keep:
            output.file.delete(save=False)


def _once(
    client: AgencyClient,
    *,
    event_id: str,
    fingerprint: str,
    tracking: str,
    change: Callable[[Application], dict],
) -> dict:
    """Run `change` on the locked application once per (client, event id) and keep its answer:
    a retry, or a twin that arrives at the same moment, gets the first answer back."""
    event_id = _clean_event_id(event_id)
    replay = _replay(client, event_id, fingerprint)
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            application = engine.lock(application_for(client, tracking).pk)
            replay = _replay(client, event_id, fingerprint)  # a twin held the lock before us
            if replay is not None:
                return replay
            response = change(application)
            InboundCall.objects.create(
                client_id=client.client_id, event_id=event_id, request_hash=fingerprint,
                application=application, response=response,
            )  # fmt: skip
            return response
    except IntegrityError:
        replay = _replay(client, event_id, fingerprint)  # the same call raced us and won
        if replay is None:
            raise
        return replay


def document_of(client: AgencyClient, *, tracking: str, document_id: int) -> Document:
    """A document attached to this application (else 404), its read logged for the citizen."""
    from mpp.accounts.privacy import record_access
    from mpp.cases.documents import require_safe

    application = application_for(client, tracking)
    fields = sorted(
        set(
            ApplicationDocument.objects.filter(
                application=application, document_id=document_id
            ).values_list("field", flat=True)
        )
    )
    document = Document.objects.filter(pk=document_id).first() if fields else None
    if document is None:
        raise NotFound(_("Dokumen tidak ditemukan."))
    require_safe(document)
    record_access(
        citizen=application.applicant,
        accessor=None,
        accessor_label=client.actor().label,
        purpose=_("Sistem instansi mengunduh dokumen permohonan %(tracking)s")
        % {"tracking": application.tracking},
        fields=[f"{field}: {document.original_name}" for field in fields],
        region_code=application.region_id,
    )
    return document


def _replay(client: AgencyClient, event_id: str, fingerprint: str) -> dict | None:
    call = InboundCall.objects.filter(client_id=client.client_id, event_id=event_id).first()
    if call is None:
        return None
    if call.request_hash != fingerprint:
        raise Conflict(_("event_id ini sudah dipakai untuk permintaan lain."))
    return call.response


def state_of(client: AgencyClient, application: Application) -> dict:
    steps = case_queries.steps_of(application)
    return {
        "tracking": application.tracking,
        "status": application.status,
        "version": application.version,
        "steps": [
            {
                "key": step.key,
                "status": step.status,
                "agency_id": step.agency_id,
                "due_at": step.due_at.isoformat() if step.due_at else None,
            }
            for step in steps
        ],
        "actions": available_actions(client, application),
        "applicant_subs": applicant_subs(client, application),
    }


def applicant_subs(client: AgencyClient, application: Application) -> dict[str, str]:
    """The applicant's OpenID Connect `sub` in each sign-in app of the agency: a link-out app
    compares it with the person signed in before it takes `mpp_tracking` as theirs."""
    from oauth2_provider.models import Application as OAuthApplication

    from mpp.accounts.oidc import pairwise_subject

    apps = OAuthApplication.objects.filter(
        mpp_policy__agency=client.agency,
        authorization_grant_type=OAuthApplication.GRANT_AUTHORIZATION_CODE,
    ).values_list("client_id", flat=True)
    user_id = application.applicant.user_id
    return {client_id: pairwise_subject(client_id, user_id) for client_id in apps}
