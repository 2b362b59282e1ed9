"""The public site: pages, search, feeds, the open-data API and the minutes page."""
