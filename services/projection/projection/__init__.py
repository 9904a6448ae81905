"""The projection service (领导驾驶舱): leadership views built from every service's events."""
