"""pydantic models: the card (card.py) and the team settings (settings.py)."""
