"""Searching units by any part of the name or the beginning of the credit code."""

import re

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import Func, Q, QuerySet, TextField, Value

# What a unified social credit code is written with; a text with anything else cannot begin one.
CODE_CHARACTERS = re.compile(r"[0-9A-Za-z]+")


class Bigrams(Func):
    """The distinct lower-cased character pairs of a text (PostgreSQL, migration members 0005)."""

    function = "portal_bigrams"
    output_field = ArrayField(TextField())


def name_or_code_search(queryset: QuerySet, text: str, *, name: str = "name") -> QuerySet:
    """Rows whose `name` contains `text` (any case) or whose credit code begins with it.

    On PostgreSQL a text of two characters or more first narrows the rows through the bigram
    index (every pair of the text is a pair of the name), which LIKE then checks. A text that
    cannot begin a credit code (Chinese, say) is not looked for there: without that OR the
    database also skips computing each row's pairs again (5 instead of 33 ms for 生物 at
    Pudong's size).
    """
    match = Q(**{f"{name}__icontains": text})
    if connections[queryset.db].vendor == "postgresql" and len(text) >= 2:
        queryset = queryset.alias(_name_bigrams=Bigrams(name))
        match &= Q(_name_bigrams__contains=Bigrams(Value(text)))
    if CODE_CHARACTERS.fullmatch(text):
        match |= Q(credit_code__startswith=text.upper())
    return queryset.filter(match)
