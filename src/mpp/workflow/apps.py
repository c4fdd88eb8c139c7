from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "mpp.workflow"
    label = "workflow"
    verbose_name = _("Alur kerja")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from mpp.workflow.models import ProcessDefinition
        from mpp.workflow.processes import forget_processes

        for signal in (post_save, post_delete):
            signal.connect(forget_processes, sender=ProcessDefinition, dispatch_uid="processes")
