"""Privacy: anonymising what people said before it is shared (see :mod:`.anonymise`)."""
from goldenthread.privacy.anonymise import (
    COMMON_WORD_NAMES,
    PLACEHOLDERS,
    Anonymiser,
    Finding,
    Result,
    Uncertain,
    anonymise,
    find_personal_data,
    is_valid_nhs_number,
)

__all__ = [
    "COMMON_WORD_NAMES",
    "PLACEHOLDERS",
    "Anonymiser",
    "Finding",
    "Result",
    "Uncertain",
    "anonymise",
    "find_personal_data",
    "is_valid_nhs_number",
]
