"""One router per resource; ``api.service.app.create_app`` includes them all."""
