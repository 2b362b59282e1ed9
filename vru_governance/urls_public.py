"""Public site, partners' portal and open-data API routes."""

urlpatterns: list = []
