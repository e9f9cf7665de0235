"""Errors a person can act on: each names the file, sheet, row or area it is about."""

from __future__ import annotations

from typing import TypedDict


class DtocError(Exception):
    """A problem with the inputs or the request; the message says what and where."""


class Location(TypedDict, total=False):
    """Where in a source file a problem is: InputError's keyword arguments."""

    file: str
    sheet: str
    cell: str
    row: int


class InputError(DtocError):
    """A source file is unreadable or does not hold what it should."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        cell: str | None = None,
        row: int | None = None,
    ) -> None:
        where = [
            f"file {file}" if file else None,
            f"sheet '{sheet}'" if sheet else None,
            f"cell {cell}" if cell else None,
            f"row {row}" if row is not None else None,
        ]
        located = ", ".join(w for w in where if w)
        super().__init__(f"{located}: {message}" if located else message)
        self.file, self.sheet, self.cell, self.row = file, sheet, cell, row


class GeographyError(DtocError):
    """Areas in the DToC data and the population estimates do not line up."""


class ValidationFailed(DtocError):
    """A data-quality gate failed; nothing was published."""
