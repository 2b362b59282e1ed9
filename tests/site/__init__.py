"""The site around the screens: health, settings, error pages, app servers, form renderer."""
