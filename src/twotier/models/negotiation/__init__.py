"""models/negotiation."""
