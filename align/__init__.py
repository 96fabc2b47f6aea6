"""Text in, aligned sentence pairs out. Knows nothing of the glossary or the service."""
