"""The secretary's workspace routes, under /manage/."""

urlpatterns: list = []
