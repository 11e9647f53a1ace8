"""Email channel: rendering (render.py, attachment.py, headers.py), SMTP (smtp.py), catcher."""

from notifiers.email.smtp import EmailNotifier, SmtpSettings

__all__ = ["EmailNotifier", "SmtpSettings"]
