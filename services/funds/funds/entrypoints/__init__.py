"""HTTP routes and reactions to other services' events."""
