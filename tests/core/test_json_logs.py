"""Production logs are JSON lines; a refused request is logged without its query string."""

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_a_refused_look_up_logs_no_query_string(client):
    stream = io.StringIO()
    formatter = logging.config.DictConfigurator(settings.LOGGING).configure_custom(
        dict(settings.LOGGING["formatters"]["json"])
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/api/v1/status?tracking=3510-261123-00001-0&nik4=4321")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert line["level"] == "WARNING" and line["status_code"] == 404
    assert "4321" not in stream.getvalue() and "00001" not in stream.getvalue()
