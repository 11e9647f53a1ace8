"""Feeds served and kept: private subscription tokens, built feeds cached until their data
changes, and the HTTP feed server."""
