from django import template

register = template.Library()


@register.filter
def get_label(labels: dict[str, str], key: str) -> str:
    return labels.get(key, key)
