"""Personal data in a citizen's message, found by validators and replaced by „[entfernt]“.

A number is taken for personal data when a well-kept validator says it is what it looks like:
phone numbers by Google's libphonenumber (`phonenumbers`, German numbering plan, with and
without area code), IBANs, card numbers (Luhn) and the German tax ID (IdNr) by `python-stdnum`.
Where no such validator exists, the identifier's own check digit decides (ID card and passport
numbers, ICAO 9303; social insurance and health insurance numbers), or a word in front of it says
what it is ("Steuer-ID", "IBAN", "Ausweisnummer", "Tel.", "geboren am"), which also catches a
mistyped number. E-mail addresses are found also when written around spam filters
("max (at) example (dot) de").

Years, dates, counts, amounts and postcodes of ordinary questions ("Wann wurde Efus 1987
gegründet?", "am 10. Mai 2010", "18 Städte") stay as they are: none of them passes a validator,
and a date is only removed after a word for birth.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Callable, Iterable, Iterator

import phonenumbers
from stdnum import iban, luhn
from stdnum.de import idnr

MARKER = "[entfernt]"
Span = tuple[int, int]

# -- e-mail --------------------------------------------------------------------------------------

_LOCAL, _LABEL = r"[\w.+-]+", r"[\w-]+"
_AT_MARK = r"\s*[(\[{<]\s*(?:at|ät|@)\s*[)\]}>]\s*|\s+@\s+"
_AT_WORD = r"\s+(?:at|ät)\s+"
_DOT_MARK = r"\s*[(\[{<]\s*(?:dot|punkt|\.)\s*[)\]}>]\s*"
_DOT_WORD = r"\s+(?:dot|punkt)\s+"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "max (at) example (dot) de", "max[at]example.de", "max @ example . de"; a plain word "at" only
# with a spelled-out dot ("max at example dot de"), so English sentences ("at efus.eu") stay.
EMAIL_OBFUSCATED = re.compile(
    rf"{_LOCAL}(?:{_AT_MARK}){_LABEL}(?:(?:{_DOT_MARK}|{_DOT_WORD}|\s*\.\s*){_LABEL})+"
    rf"|{_LOCAL}{_AT_WORD}{_LABEL}(?:(?:{_DOT_MARK}|{_DOT_WORD}){_LABEL})+",
    re.IGNORECASE)

# -- phone numbers -------------------------------------------------------------------------------

# Words that say the next number is a phone number, even a short local one ("Tel. 12345").
_PHONE_WORDS = re.compile(
    r"\b(?:tel|telefon(?:nummer)?|tel\.-?nr|rufnummer|handy(?:nummer)?|mobil(?:nummer|funk)?|"
    r"fax(?:nummer)?|durchwahl|festnetz(?:nummer)?|nummer|anrufen|erreichbar)\b\W{0,3}(?:\w+\W{1,3}){0,2}$",
    re.IGNORECASE)
# Shapes libphonenumber may read as a number but that are ordinary in questions.
_NOT_A_PHONE = re.compile(
    r"\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})"   # a date, 10.05.2010
    r"|\d{4}-\d{2}-\d{2}"                        # an ISO date
    r"|(?:19|20)\d{2}\s*[-–/]\s*(?:19|20)?\d{2}"  # years, 1987-2010, 2010/11
    r"|\d{1,3}(?:\.\d{3})+")                     # an amount, 1.000.000


def _phones(text: str) -> Iterator[Span]:
    matcher = phonenumbers.PhoneNumberMatcher(text, "DE", leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        raw = match.raw_string
        if _NOT_A_PHONE.fullmatch(raw):
            continue
        digits = sum(char.isdigit() for char in raw)
        with_prefix = raw.lstrip("(").startswith(("+", "0"))
        if with_prefix and (phonenumbers.is_valid_number(match.number) or digits >= 7):
            yield match.start, match.end  # with area or country code
        elif digits >= 7 or (digits >= 4 and _PHONE_WORDS.search(text[max(0, match.start - 40):match.start])):
            yield match.start, match.end  # a local number: no year, count or postcode has 7 digits


# -- numbers with a validator --------------------------------------------------------------------

def _words_before(words: str) -> re.Pattern[str]:
    """Words that, up to a few characters in front of a number, say what it is."""
    return re.compile(rf"\b(?:{words})\W{{0,5}}(?:(?:ist|lautet|nr|nummer)\W{{1,3}})?$", re.IGNORECASE)


_GROUP = re.compile(r"[A-Za-z0-9]+")


def _longest_valid(match: re.Match[str], valid: Callable[[str], bool], minimum: int) -> Span | None:
    """The longest run of the match's first groups (of letters and digits) that is `valid`."""
    groups = list(_GROUP.finditer(match.group(0)))
    for count in range(len(groups), 0, -1):
        end = groups[count - 1].end()
        candidate = re.sub(r"[^A-Za-z0-9]", "", match.group(0)[:end])
        if len(candidate) < minimum:
            return None
        if valid(candidate):
            return match.start(), match.start() + end
    return None


def _validated(pattern: re.Pattern[str], valid: Callable[[str], bool], minimum: int, text: str,
               keyword: re.Pattern[str] | None = None,
               shape: Callable[[str], bool] | None = None) -> Iterator[Span]:
    position = 0
    while match := pattern.search(text, position):
        span = _longest_valid(match, valid, minimum)
        if span is None and keyword is not None and keyword.search(text[max(0, match.start() - 40):match.start()]):
            # Named as such: removed even when mistyped (wrong check digit), if it has the shape.
            span = _longest_valid(match, shape or (lambda candidate: True), minimum)
        if span is not None:
            yield span
        # A shape may run on into the next number ("DE89… und DE89…"): look again right after
        # what was found, or after the shape's first character.
        position = span[1] if span is not None else match.start() + 1


IBAN_SHAPE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{1,4}){3,8}", re.IGNORECASE)
_IBAN_WORDS = _words_before("iban|kontonummer|konto|bankverbindung")
# Card numbers: ungrouped, Amex 4-6-5, or in fours.
CARD_SHAPE = re.compile(r"(?<!\d)(?<!\d[.,])(?:\d{13,19}|\d{4}[ -]\d{6}[ -]\d{4,5}"
                        r"|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,4})?)(?!\d|[.,]\d)")
_CARD_WORDS = _words_before(r"kreditkarte\w*|karte\w*|kartennummer|visa|mastercard|amex|card")
IDNR_SHAPE = re.compile(r"(?<!\d)(?<!\d[.,])(?:\d{11}|\d{2}[ ./-]?\d{3}[ ./-]?\d{3}[ ./-]?\d{3})(?!\d|[.,]\d)")
_IDNR_WORDS = _words_before(r"steuer-?id\w*|steuer-?idnr|steuer-?identifikationsnummer|steueridentifikations\w*|"
                            r"identifikationsnummer|idnr|tin")
# The Steuernummer has no check digit: only after its name.
STNR_SHAPE = re.compile(r"(?<!\d)(?<!\d[.,])\d{2,5}(?:[ /]?\d{3,5}){1,3}(?!\d|[.,]\d)")
_STNR_WORDS = _words_before(r"steuernummer|steuer-nr|st\.?-?nr")


def _is_iban(candidate: str) -> bool:
    return iban.is_valid(candidate)


def _is_card(candidate: str) -> bool:
    return 13 <= len(candidate) <= 19 and candidate[0] != "0" and luhn.is_valid(candidate)


def _is_idnr(candidate: str) -> bool:
    return idnr.is_valid(candidate)


# -- identifiers with a check digit but no validator in python-stdnum ----------------------------

# German ID card (since 2010) and passport numbers: nine characters from this alphabet (no vowels
# and no B, D, Q, S, so a number never spells a word), printed on the card; the machine-readable
# zone adds a check digit.
_DOC_ALPHABET = "CFGHJKLMNPRTVWXYZ0123456789"
DOCUMENT_SHAPE = re.compile(rf"(?<![\w-])[CFGHJKLMNPRTVWXYZ][{_DOC_ALPHABET}]{{8}}\d?(?![\w-])", re.IGNORECASE)
_ANY_DOCUMENT = re.compile(r"(?<![\w-])(?=[A-Z0-9]*\d)[A-Z0-9]{8,10}(?![\w-])", re.IGNORECASE)
_DOCUMENT_WORDS = _words_before(r"\w*ausweis\w*|reisepass\w*|pass|passnummer|pass-nr|dokumentennummer|"
                                r"dokumenten-nr|seriennummer")


def icao_check_digit(characters: str) -> int:
    """The ICAO 9303 check digit (weights 7, 3, 1; A = 10 … Z = 35) of a document number."""
    total = 0
    for position, char in enumerate(characters.upper()):
        value = int(char) if char.isdigit() else ord(char) - ord("A") + 10
        total += value * (7, 3, 1)[position % 3]
    return total % 10


def _documents(text: str) -> Iterator[Span]:
    for match in DOCUMENT_SHAPE.finditer(text):
        number = match.group(0)
        digits = sum(char.isdigit() for char in number)
        if len(number) == 10:
            found = icao_check_digit(number[:9]) == int(number[9])
        else:
            # As printed on the card, without check digit: letters with four digits, or six digits.
            found = (digits >= 4 and any(char.isalpha() for char in number[1:])) or digits >= 6
        if found:
            yield match.span()
    for match in _ANY_DOCUMENT.finditer(text):
        if _DOCUMENT_WORDS.search(text[max(0, match.start() - 40):match.start()]):
            yield match.span()


def _cross_sum_check(digits: str, weights: Iterable[int]) -> int:
    return sum(sum(divmod(int(digit) * weight, 10)) for digit, weight in zip(digits, weights, strict=True)) % 10


# Social insurance number (Rentenversicherungsnummer): area, date of birth, initial, serial,
# check digit, e.g. "15 070649 C 103".
SVNR_SHAPE = re.compile(r"(?<![\w])\d{2}\s?\d{6}\s?[A-Z]\s?\d{3}(?!\w)", re.IGNORECASE)
_SVNR_WORDS = _words_before(r"sozialversicherungs\w*|rentenversicherungs\w*|sv-?nummer|rv-?nummer|"
                            r"versicherungsnummer")
# Health insurance number (Krankenversichertennummer): a letter, eight digits, a check digit.
KVNR_SHAPE = re.compile(r"(?<![\w])[A-Z]\d{9}(?!\w)", re.IGNORECASE)


def is_svnr(number: str) -> bool:
    number = re.sub(r"\s", "", number).upper()
    letter = f"{ord(number[8]) - ord('A') + 1:02d}"
    digits = number[:8] + letter + number[9:11]
    return _cross_sum_check(digits, (2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1)) == int(number[11])


def is_kvnr(number: str) -> bool:
    number = number.upper()
    digits = f"{ord(number[0]) - ord('A') + 1:02d}" + number[1:9]
    return _cross_sum_check(digits, (1, 2) * 5) == int(number[9])


def _insurance_numbers(text: str) -> Iterator[Span]:
    for match in SVNR_SHAPE.finditer(text):
        if is_svnr(match.group(0)) or _SVNR_WORDS.search(text[max(0, match.start() - 40):match.start()]):
            yield match.span()
    for match in KVNR_SHAPE.finditer(text):
        if is_kvnr(match.group(0)):
            yield match.span()


# -- dates of birth ------------------------------------------------------------------------------

_MONTHS = ("januar|jänner|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|"
           "dezember|jan|feb|mär|mrz|apr|jun|jul|aug|sep|sept|okt|nov|dez")
DATE = re.compile(rf"\b(?:(\d{{1,2}})\.\s?(\d{{1,2}})\.\s?(\d{{4}}|\d{{2}})(?!\d)"
                  rf"|(\d{{1,2}})\.?\s+({_MONTHS})\.?\s+(\d{{4}})\b"
                  rf"|(\d{{4}})-(\d{{2}})-(\d{{2}})\b)", re.IGNORECASE)
_BIRTH_BEFORE = re.compile(r"\b(?:geboren|geb\.?|geburtsdatum|geb\.-?datum|geburtstag)\W{0,3}"
                           r"(?:(?:am|ist|den|im|war|der)\W{1,3}){0,2}$", re.IGNORECASE)
_BIRTH_AFTER = re.compile(r"^\W{0,3}(?:\w+\W{1,3}){0,3}?geboren\b", re.IGNORECASE)


def _is_date(match: re.Match[str]) -> bool:
    groups = match.groups()
    try:
        if groups[0]:
            day, month, year = int(groups[0]), int(groups[1]), int(groups[2])
        elif groups[3]:
            return 1 <= int(groups[3]) <= 31
        else:
            year, month, day = int(groups[6]), int(groups[7]), int(groups[8])
        dt.date(year if year > 99 else 2000 + year, month, day)
    except ValueError:
        return False
    return True


def _birth_dates(text: str) -> Iterator[Span]:
    for match in DATE.finditer(text):
        if not _is_date(match):
            continue
        if (_BIRTH_BEFORE.search(text[max(0, match.start() - 30):match.start()])
                or _BIRTH_AFTER.search(text[match.end():match.end() + 40])):
            yield match.span()


# -- all together --------------------------------------------------------------------------------

def _whole_words(text: str, span: Span) -> Span:
    """The span widened to whole words, so no half of a number or an address is left behind."""
    start, end = span
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def personal_data(text: str) -> list[Span]:
    """The spans of `text` that hold personal data, sorted, overlapping ones merged."""
    spans: list[Span] = [
        *(match.span() for match in EMAIL.finditer(text)),
        *(match.span() for match in EMAIL_OBFUSCATED.finditer(text)),
        *_phones(text),
        *_validated(IBAN_SHAPE, _is_iban, 15, text, _IBAN_WORDS),
        *_validated(CARD_SHAPE, _is_card, 13, text, _CARD_WORDS,
                    shape=lambda candidate: 13 <= len(candidate) <= 19),
        *_validated(IDNR_SHAPE, _is_idnr, 11, text, _IDNR_WORDS),
        *_validated(STNR_SHAPE, lambda candidate: False, 10, text, _STNR_WORDS,
                    shape=lambda candidate: 10 <= len(candidate) <= 13),
        *_documents(text),
        *_insurance_numbers(text),
        *_birth_dates(text),
    ]
    merged: list[Span] = []
    for start, end in sorted(_whole_words(text, span) for span in spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def redact(text: str) -> str:
    """The text with every piece of personal data replaced by „[entfernt]“."""
    parts, position = [], 0
    for start, end in personal_data(text):
        parts += [text[position:start], MARKER]
        position = end
    parts.append(text[position:])
    return "".join(parts)
