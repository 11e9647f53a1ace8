"""Timelines: date spans, plan import, timeline files and the data model."""
