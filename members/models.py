"""Member units and their registrations (their models arrive with their issues)."""
