"""Rasa input channels of this assistant (configured by module path in credentials.yml)."""
