"""The easy-read styles every easy-read PDF shares: large type, generous line spacing, bold headings.

Easy-read guidance asks for at least 14 pt (we use 16 pt and up), short lines and plenty of space; the
easy-read report uses 24 pt body text so it can be read at arm's length. Each style is in the toolkit's
fonts, so every script prints.
"""
from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle

from goldenthread.pdf.layout import INK, style

__all__ = ["styles"]


def styles(body: float = 24, *, grey: str = "#484949") -> dict[str, ParagraphStyle]:
    """Heading, body, small text and picture caption for easy read, scaled from ``body`` points."""
    return {
        "heading": style("easy-heading", body * 1.25, bold=True, leading=body * 1.6, colour=INK,
                         spaceBefore=body * 0.6, spaceAfter=body * 0.35),
        "body": style("easy-body", body, leading=body * 1.4, colour=INK, spaceAfter=body * 0.2),
        "small": style("easy-small", body * 0.8, leading=body * 1.05, colour=grey),
        "caption": style("easy-caption", max(14, body * 0.58), leading=max(14, body * 0.58) * 1.2, alignment=1),
    }
