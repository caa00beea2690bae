import os

from django.core.wsgi import get_wsgi_application

from config.runtime import tune_collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
tune_collector()  # after the application is loaded: what it made at start-up is never walked again
