"""Notifiers: email, calendar feeds and the feed server."""
