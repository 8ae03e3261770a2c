"""Several questions in one message: "Wann wurde Efus gegründet und wo sitzt es?".

The intent model gives one message one intent, so a message that asks two things would get one
answer at most. The channels therefore hand each question to Rasa as a message of its own, in
the order asked: the second then also sees the network the first one named ("… wo sitzt es?").
A question ends at "?", or at "und"/"sowie" followed by a question word; text that is no question
("Ich bin Journalistin.", "Danke!") stays with the question it stands beside.
"""

from __future__ import annotations

import re

MAX_QUESTIONS = 3
# Fewer words than this in a question, and it was one question after all ("Was? Wirklich?"); on
# either side of an "und", fewer than _MIN_CLAUSE_WORDS: "Wann und wo wurde Efus gegründet?" and
# "Ist Bochum bei Efus und seit wann?" each ask once, about two facets.
_MIN_WORDS = 2
_MIN_CLAUSE_WORDS = 3
_QUESTION_WORDS = (r"wann|wo|woher|wer|wen|wem|wessen|wie|was|warum|wieso|weshalb|welche[rsnm]?|"
                   r"seit wann|gibt es|ist|sind|hat|haben")
_AFTER_QUESTION_MARK = re.compile(r"(?<=\?)\s+")
_CONJUNCTION = re.compile(rf",?\s+(?:und|sowie)\s+(?=(?:{_QUESTION_WORDS})\b)", re.IGNORECASE)

MORE_THAN_ALLOWED = (f"Sie haben mehr als {MAX_QUESTIONS} Fragen auf einmal gestellt. Ich habe die ersten "
                     f"{MAX_QUESTIONS} beantwortet; bitte stellen Sie die weiteren noch einmal einzeln.")


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _clauses(question: str) -> list[str]:
    """ "Wann wurde Efus gegründet und wo sitzt es?" → "Wann wurde Efus gegründet?", "wo sitzt es?" """
    parts = _CONJUNCTION.split(question)
    if "?" not in question or len(parts) < 2 or any(_word_count(part) < _MIN_CLAUSE_WORDS for part in parts):
        return [question]
    # The first word of the first part must ask too: "Ich weiß, wer Efus gegründet hat und wo …"
    # is one statement, not two questions.
    if not re.match(rf"(?:{_QUESTION_WORDS}|kann|können|könnten|stimmt|gehört|gehören)\b", parts[0].split(",")[-1]
                    .strip(), re.IGNORECASE):
        return [question]
    return [part.strip().rstrip("?").rstrip() + "?" for part in parts]


def split_questions(text: str) -> tuple[list[str], bool]:
    """The questions of a message, in order (at most MAX_QUESTIONS), and whether there were more.

    A message with one question comes back whole, exactly as it was.
    """
    segments = [segment for segment in _AFTER_QUESTION_MARK.split(text.strip()) if segment]
    # Text after the last "?" ("Danke!") belongs to the last question.
    if len(segments) > 1 and "?" not in segments[-1]:
        segments[-2:] = [f"{segments[-2]} {segments[-1]}"]
    questions = [clause for segment in segments for clause in _clauses(segment)]
    # A fragment such as "Wirklich?" is no question of its own: keep the message whole.
    if len(questions) < 2 or any(_word_count(question) < _MIN_WORDS for question in questions):
        return [text], False
    return questions[:MAX_QUESTIONS], len(questions) > MAX_QUESTIONS
