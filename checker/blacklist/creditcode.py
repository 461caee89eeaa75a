"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters: registration authority (1), organisation category (1), administrative division (6),
organisation code (9, with its own GB 11714 check character) and a check character over the first 17.
The check character is computed with weights 3^i mod 31 over the charset below.
"""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(CHARSET)}


def normalize_credit_code(code: str) -> str:
    """Upper-case and strip spaces (full-width input folded to ASCII)."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", code).split()).upper()


def check_char(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    if len(first17) != 17:
        raise ValueError("need exactly 17 characters")
    total = 0
    for ch, w in zip(first17, WEIGHTS, strict=True):
        v = _VALUE.get(ch)
        if v is None:
            raise ValueError(f"character {ch!r} is not allowed in a unified social credit code")
        total += v * w
    r = 31 - total % 31
    return CHARSET[0 if r == 31 else r]


def credit_code_problem(code: str) -> str | None:
    """None if ``code`` (already normalised) is a well-formed code, else a sentence saying what is wrong."""
    if len(code) != 18:
        return f"unified social credit code {code!r} has {len(code)} characters, expected 18"
    bad = [c for c in code if c not in _VALUE]
    if bad:
        return (
            f"unified social credit code {code!r} contains {bad[0]!r}; allowed are 0-9 and "
            "A-H J-N P-R T-U W-Y (no I, O, S, V, Z)"
        )
    expected = check_char(code[:17])
    if code[17] != expected:
        return (
            f"unified social credit code {code!r} fails the GB 32100-2015 check: "
            f"last character is {code[17]!r}, expected {expected!r}; check for a typo"
        )
    return None


def is_valid_credit_code(code: str) -> bool:
    """True when the code has 18 allowed characters and a correct check character."""
    return credit_code_problem(normalize_credit_code(code)) is None
