"""Whole numbers from query strings: the one rule every endpoint reads them by.

A number is plain ASCII digits (a leading ``-`` only where negatives make sense) within the
range the caller gives, and given once. Python's ``int()`` also takes "٣", "１２" and
" 7 ", and a 40-digit number overflows the database's columns; each of those is a 400
naming the parameter, never a silently different page or a 500.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: The largest id the database stores (a PostgreSQL bigint); also the default ceiling.
MAX_ID = 2**63 - 1

_INTEGER = re.compile(r"-?[0-9]+")


def parse_integer(raw: str, *, name: str, min_value: int = 1, max_value: int = MAX_ID) -> int:
    """``raw`` as an int in ``min_value..max_value``; else ``ValidationError({name: ...})``."""
    # Length first: a number longer than the ceiling's digits is out of range, and int()
    # of a megabyte of digits is slow.
    if (
        not isinstance(raw, str)
        or len(raw) > len(str(max_value)) + 1
        or not _INTEGER.fullmatch(raw)
        or not min_value <= int(raw) <= max_value
    ):
        raise ValidationError(
            {
                name: _("Give a whole number from %(min)d to %(max)d.")
                % {"min": min_value, "max": max_value}
            }
        )
    return int(raw)


def integer_param(
    params, name: str, *, default=None, min_value: int = 1, max_value: int = MAX_ID
) -> int | None:
    """The parameter ``name`` of a ``QueryDict`` by the rule above; ``default`` when absent."""
    values = params.getlist(name)
    if not values:
        return default
    if len(values) > 1:
        raise ValidationError({name: _("Give %(name)s once.") % {"name": name}})
    return parse_integer(values[0], name=name, min_value=min_value, max_value=max_value)


def integer_params(params, rules: dict[str, dict]) -> dict[str, int | None]:
    """Several parameters at once (``{name: integer_param keyword arguments}``), so that a
    client hears of every bad one in a single 400."""
    values, errors = {}, {}
    for name, options in rules.items():
        try:
            values[name] = integer_param(params, name, **options)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return values
