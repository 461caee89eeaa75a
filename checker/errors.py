"""Errors a user can act on. Each carries a stable code and a sentence that says what to do."""

from __future__ import annotations


class StarcheckError(Exception):
    """Base class for errors reported to the user (never a traceback)."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class InputError(StarcheckError):
    """A filing that cannot be read: empty, not a PDF, truncated, encrypted, image-only, ..."""

    code = "input_error"


class RuleFileError(StarcheckError):
    """A rule file that does not validate; the message names the file and the field."""

    code = "rule_file_error"


class EngineError(StarcheckError):
    """The rule engine failed while evaluating a filing (never reported as a pass)."""

    code = "engine_error"
