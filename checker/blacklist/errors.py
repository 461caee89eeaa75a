"""The error raised for a blacklist file that cannot be used."""

from __future__ import annotations

from checker.errors import StarcheckError


class BlacklistError(StarcheckError):
    """A blacklist file that is unreadable or malformed; the message names the file and the line."""

    code = "blacklist_error"

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        where = ""
        if file is not None:
            where = f"{file}, line {line}: " if line is not None else f"{file}: "
        super().__init__(where + message)
        self.detail = message
        self.file = file
        self.line = line
