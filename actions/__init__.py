"""Rasa SDK custom actions: thin adapters between Rasa's tracker and the `assistant` package."""
