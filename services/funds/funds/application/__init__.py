"""Command handlers of the funds service: load, decide, append (one transaction each)."""
