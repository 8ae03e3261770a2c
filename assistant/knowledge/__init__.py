"""The curated, sourced knowledge base: plain Python, independent of Rasa."""

from assistant.knowledge.base import KnowledgeBase, MembershipStatus
from assistant.knowledge.loader import KnowledgeBaseError, load_knowledge_base
from assistant.knowledge.model import Contact, FacetWords, Fact, Question, Source, Subject, Vocabulary

__all__ = [
    "Contact",
    "FacetWords",
    "Fact",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "MembershipStatus",
    "Question",
    "Source",
    "Subject",
    "Vocabulary",
    "load_knowledge_base",
]
