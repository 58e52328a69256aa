"""Alliances, memberships, meetings, joint projects and claims (their models arrive with their issues)."""
