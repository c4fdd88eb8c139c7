"""Life-event bundles: one submission that opens several services across agencies.

A `BundleDefinition` (national admins) lists the member services in order, e.g. birth =
akta kelahiran + perubahan KK + KIA. The bundle form is the union of the members' forms: a key
several forms share is asked once (the definition is refused when their types disagree). Every
field error of every member comes back at once. One transaction makes one `Bundle` with its own
tracking number and one `Application` per member, each with its own tracking number and
workflow; the `Idempotency-Key` rules are those of a single submission.
"""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.accounts.models import Citizen
from mpp.cases import formdefs, services
from mpp.cases.models import (
    Bundle,
    BundleDefinition,
    Draft,
    FormDefinition,
    IdempotencyRecord,
)
from mpp.cases.tracking import next_tracking
from mpp.catalog.models import DIGITAL_CHANNELS, Channel, LifeEvent, Offering, ServiceTemplate
from mpp.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from mpp.core.roles import Perm
from mpp.core.tenancy import scope_for


@dataclass(frozen=True)
class Member:
    offering: Offering
    form: FormDefinition
    fields: list[dict]  # the effective fields, `provided_later` keys made optional


@dataclass(frozen=True)
class BundleSubmitted:
    bundle: Bundle
    replayed: bool  # True when an earlier request with the same key made it


# --- definitions ------------------------------------------------------------------------------


def type_clashes(forms: list[tuple[str, list[dict]]]) -> list[str]:
    """A message for every top-level key that two forms give different types."""
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for name, fields in forms:
        for field in fields:
            key, kind = field["key"], field["type"]
            if key not in seen:
                seen[key] = (kind, name)
            elif seen[key][0] != kind:
                clashes.append(
                    _("Isian '%(key)s' berjenis %(a)s di %(first)s tetapi %(b)s di %(second)s.")
                    % {
                        "key": key,
                        "a": seen[key][0],
                        "first": seen[key][1],
                        "b": kind,
                        "second": name,
                    }
                )
    return clashes


def check_definition(services_: Any, provided_later: Any) -> list[ServiceTemplate]:
    """The member templates, in order; InvalidInput when the definition cannot work."""
    if (
        not isinstance(services_, list)
        or not all(isinstance(s, str) for s in services_)
        or len(services_) < 2
        or len(set(services_)) != len(services_)
    ):
        raise InvalidInput(
            _("Isi paling sedikit dua slug layanan yang berbeda, berurutan."), field="services"
        )
    if not isinstance(provided_later, list) or not all(isinstance(k, str) for k in provided_later):
        raise InvalidInput(_("Isi daftar kunci isian."), field="provided_later")
    templates = {t.slug: t for t in ServiceTemplate.objects.filter(slug__in=services_)}
    unknown = [slug for slug in services_ if slug not in templates]
    if unknown:
        raise InvalidInput(
            _("Layanan tidak dikenal: %(slugs)s.") % {"slugs": ", ".join(unknown)},
            field="services",
        )
    forms = []
    for slug in services_:
        form = (
            FormDefinition.objects.filter(
                template=templates[slug], status=FormDefinition.Status.PUBLISHED
            )
            .order_by("-number")
            .first()
        )
        if form is None:
            raise InvalidInput(
                _("%(service)s belum punya formulir terbit.") % {"service": templates[slug].name},
                field="services",
            )
        forms.append((templates[slug].name, form.definition.get("fields") or []))
    clashes = type_clashes(forms)
    if clashes:
        raise InvalidInput(" ".join(clashes), field="services")
    keys = {field["key"] for _name, fields in forms for field in fields}
    strangers = [key for key in provided_later if key not in keys]
    if strangers:
        raise InvalidInput(
            _("Kunci isian tidak ada di formulir anggota paket: %(keys)s.")
            % {"keys": ", ".join(strangers)},
            field="provided_later",
        )
    return [templates[slug] for slug in services_]


@transaction.atomic
def save_bundle_definition(
    *,
    actor: Any | None,
    slug: str,
    name: str,
    services: list[str],
    name_en: str = "",
    life_event: str | None = None,
    provided_later: list[str] | None = None,
    is_active: bool = True,
) -> BundleDefinition:
    """Create or change a definition (`actor=None`: the platform itself, e.g. demo data)."""
    if actor is not None and not scope_for(actor, Perm.MANAGE_TEMPLATES).everywhere:
        raise Forbidden(_("Hanya admin nasional yang dapat mengubah paket layanan."))
    check_definition(services, provided_later or [])
    event = None
    if life_event:
        event = LifeEvent.objects.filter(slug=life_event).first()
        if event is None:
            raise InvalidInput(_("Peristiwa hidup tidak dikenal."), field="life_event")
    definition, _created = BundleDefinition.objects.update_or_create(
        slug=slug,
        defaults={
            "name": name,
            "name_en": name_en,
            "life_event": event,
            "services": services,
            "provided_later": provided_later or [],
            "is_active": is_active,
        },
    )
    return definition


def definition_of(slug: str) -> BundleDefinition:
    definition = (
        BundleDefinition.objects.select_related("life_event")
        .filter(slug=slug, is_active=True)
        .first()
    )
    if definition is None:
        raise NotFound(_("Paket layanan tidak ditemukan."))
    return definition


def _optional(fields: list[dict], keys: set[str]) -> list[dict]:
    return [
        {k: v for k, v in f.items() if k not in ("required", "required_if")}
        if f["key"] in keys
        else f
        for f in fields
    ]


def members_for(definition: BundleDefinition, region_code: str, *, assisted: bool) -> list[Member]:
    """The region's offerings of the member services; 409 naming those it cannot take here."""
    offerings = {
        o.template.slug: o
        for o in Offering.objects.select_related(
            "template__current_version", "agency", "region", "form_extension"
        )
        .prefetch_related("channels")
        .filter(region_id=region_code, template__slug__in=definition.services, is_active=True)
    }
    allowed = set(DIGITAL_CHANNELS) - {Channel.LINK_OUT}
    if assisted:
        allowed |= {Channel.COUNTER}
    members, missing = [], []
    later = set(definition.provided_later)
    for slug in definition.services:
        offering = offerings.get(slug)
        form, fields = services.form_for(offering) if offering else (None, [])
        if (
            offering is None
            or form is None
            or not {c.kind for c in offering.channels.all()} & allowed
        ):
            missing.append(slug)
            continue
        members.append(Member(offering=offering, form=form, fields=_optional(fields, later)))
    if missing:
        names = dict(ServiceTemplate.objects.filter(slug__in=missing).values_list("slug", "name"))
        raise Conflict(
            _("Wilayah ini belum melayani secara daring: %(services)s. Ajukan satu per satu.")
            % {"services": ", ".join(names.get(s, s) for s in missing)}
        )
    clashes = type_clashes([(m.offering.template.name, m.fields) for m in members])
    if clashes:  # a region's added field or a newer form disagrees with another member
        raise Conflict(" ".join(clashes))
    return members


def merged_fields(members: list[Member], provided_later: list[str]) -> list[dict]:
    """The union of the member forms, a shared key asked once, fields grouped by section in the
    order sections first appear (one "Data anak" section, not three)."""
    skip = set(provided_later)
    sections: dict[str, list[dict]] = {}
    seen: set[str] = set()
    for member in members:
        section: dict | None = None
        for field in member.fields:
            section = field.get("section") or section
            if field["key"] in seen or field["key"] in skip:
                continue
            seen.add(field["key"])
            title = (section or {}).get("id", "")
            bucket = sections.setdefault(title, [])
            field = {k: v for k, v in field.items() if k != "section"}
            if not bucket and section:
                field["section"] = section
            bucket.append(field)
    return [field for bucket in sections.values() for field in bucket]


def clean_all(
    members: list[Member], data: Any, region_code: str
) -> tuple[list[dict], list[formdefs.FieldError]]:
    """Each member's cleaned data, and every field error of every member (each once)."""
    data = data if isinstance(data, dict) else {}
    cleaned_by, errors, seen = [], [], set()
    for member in members:
        cleaned, member_errors = formdefs.clean_submission(
            member.fields, data, region_code=region_code
        )
        cleaned_by.append(cleaned)
        for error in member_errors:
            if (error.field, error.message) not in seen:
                seen.add((error.field, error.message))
                errors.append(error)
    return cleaned_by, errors


# --- submission -------------------------------------------------------------------------------


def submit_bundle(
    *,
    user: Any,
    region_code: str,
    bundle_slug: str,
    data: dict,
    idempotency_key: str,
    on_behalf_of: int | None = None,
) -> BundleSubmitted:
    """File every member service at once; the same key and body give back the same bundle."""
    key = services.clean_key(idempotency_key)
    fingerprint = services._request_hash(
        bundle=bundle_slug, region=region_code, data=data, on_behalf_of=on_behalf_of
    )
    replay = _replay(user, key, fingerprint)
    if replay:
        return replay
    try:
        with transaction.atomic():
            return _submit(user, region_code, bundle_slug, data, key, fingerprint, on_behalf_of)
    except IntegrityError:
        # A concurrent request with the same key committed first: answer as it did.
        replay = _replay(user, key, fingerprint)
        if replay:
            return replay
        raise


def _replay(user: Any, key: str, fingerprint: str) -> BundleSubmitted | None:
    record = IdempotencyRecord.objects.select_related("bundle").filter(user=user, key=key).first()
    if record is None:
        return None
    if record.request_hash != fingerprint or record.bundle is None:
        raise Conflict(
            _("Idempotency-Key ini sudah dipakai untuk permohonan lain. Gunakan kunci baru.")
        )
    return BundleSubmitted(bundle=record.bundle, replayed=True)


def _submit(
    user: Any,
    region_code: str,
    bundle_slug: str,
    data: dict,
    key: str,
    fingerprint: str,
    on_behalf_of: int | None,
) -> BundleSubmitted:
    # Claim the key first: a concurrent twin blocks here until this one commits, then replays.
    record = IdempotencyRecord.objects.create(user=user, key=key, request_hash=fingerprint)
    definition = definition_of(bundle_slug)
    assisted = on_behalf_of is not None
    members = members_for(definition, region_code, assisted=assisted)
    citizen: Citizen = services._applicant(user, on_behalf_of, members[0].offering)
    for member in members:
        services.check_assurance(citizen, member.offering)
    cleaned_by, errors = clean_all(members, data, region_code)
    attachments = []
    for member, cleaned in zip(members, cleaned_by, strict=True):
        attached, errors = services.attached_documents(citizen, member.fields, cleaned, errors)
        attachments.append(attached)
    formdefs.raise_for_errors(errors)
    now = timezone.now()
    tracking = next_tracking(region_code, timezone.localdate(now))
    bundle = Bundle.objects.create(
        tracking=tracking,
        region_id=region_code,
        applicant=citizen,
        life_event=definition.life_event,
        definition=definition,
        submitted_by=user,
        lookup_hash=services.public_lookup_hash(tracking, citizen.nik[-4:]),
        submitted_at=now,
    )
    for member, cleaned, attached in zip(members, cleaned_by, attachments, strict=True):
        services.file_application(
            user=user,
            citizen=citizen,
            offering=member.offering,
            form=member.form,
            cleaned=cleaned,
            attachments=attached,
            assisted=assisted,
            now=now,
            bundle=bundle,
        )
    Draft.objects.filter(applicant=citizen, region_id=region_code, bundle=definition).delete()
    record.bundle = bundle
    record.save(update_fields=["bundle"])
    return BundleSubmitted(bundle=bundle, replayed=False)
