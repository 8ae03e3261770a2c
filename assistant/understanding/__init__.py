"""Understanding questions beyond the intent model: a pretrained sentence encoder, ranking of facts,
whether the knowledge base holds the aspect asked about, premises, and the language asked in.

Plain Python over the knowledge base; nothing here knows Rasa.
"""
