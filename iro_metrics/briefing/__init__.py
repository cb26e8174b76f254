"""Committee briefings: narrative, disclosure control, and the Word and Markdown writers."""
