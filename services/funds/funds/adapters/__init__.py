"""The funds service's own tables and readers (the view of relief's households)."""
