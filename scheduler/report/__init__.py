"""`fristvakt report`: the council's status report (HTML, DOCX, Markdown, PDF)."""
