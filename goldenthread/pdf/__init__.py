"""The PDF toolkit: one way to print people's words, in every script, in every Golden Thread PDF.

A plain library (ReportLab and HarfBuzz, no Django) at the bottom of the layers, so the cards (reviews),
statements and job specifications (providers), invitations (programme) and reports (reporting) all use it.

* :mod:`.fonts` -- which fonts are on the machine, which prints which character, :func:`printable`;
* :mod:`.text` -- the one clean-up before printing (:func:`clean`, :func:`printable_text`);
* :mod:`.layout` -- paragraphs shaped and in right-to-left order, single lines on a canvas, styles,
  the page template and the footer;
* :mod:`.easy_read` -- the large-type styles of every easy-read document;
* :mod:`.pictograms` -- the one library of pictures, each named in words.
"""
from goldenthread.pdf.fonts import missing, printable
from goldenthread.pdf.text import CANNOT_PRINT, clean, printable_text

__all__ = ["CANNOT_PRINT", "clean", "missing", "printable", "printable_text"]
