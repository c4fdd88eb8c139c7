from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "mpp.cases"
    label = "cases"
    verbose_name = _("Permohonan")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from mpp.cases import filing
        from mpp.cases.models import FormDefinition, OfferingFormExtension
        from mpp.catalog.models import (
            Agency,
            Offering,
            OfferingChannel,
            ServiceTemplate,
            StandardVersion,
        )
        from mpp.workflow.models import ProcessDefinition

        # What a cached filing context is made of (cases/filing.py).
        for model in (
            Offering, OfferingChannel, ServiceTemplate, StandardVersion, Agency,
            FormDefinition, OfferingFormExtension, ProcessDefinition,
        ):  # fmt: skip
            for signal in (post_save, post_delete):
                signal.connect(filing.forget, sender=model, dispatch_uid=f"filing-{model.__name__}")
        for model in (
            OfferingChannel, StandardVersion, FormDefinition, OfferingFormExtension,
            ProcessDefinition,
        ):  # fmt: skip
            for signal in (post_save, post_delete):
                signal.connect(filing.touch, sender=model, dispatch_uid=f"touch-{model.__name__}")
