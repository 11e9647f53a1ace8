"""Email channel: rendering (render.py), headers (headers.py), SMTP (smtp.py)."""
