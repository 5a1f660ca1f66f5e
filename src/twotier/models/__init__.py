"""Models (pure): bargaining closed forms and the aid-leverage negotiation model."""
