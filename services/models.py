"""Service stations, activities, resource offers and demands (their models arrive with their issues)."""
