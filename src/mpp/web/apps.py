from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mpp.web"
    label = "web"
