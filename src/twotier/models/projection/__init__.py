"""models/projection."""
