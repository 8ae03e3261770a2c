"""Tools for the city's editors: Rasa-aware checks, scaffolding, reports and a one-shot question.

Unlike `assistant.knowledge`, this package knows Rasa's file layout (domain, NLU data, stories,
tracker store); the command-line interface in `assistant.cli` is a thin layer over it.
"""
