"""The 心理鸭 web client: static files (``static/``) and, in development, the app serving them at ``/``."""
