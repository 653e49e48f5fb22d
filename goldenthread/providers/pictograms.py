"""The statement's pictures: the one library in :mod:`goldenthread.pdf.pictograms`, under its old names."""
from goldenthread.pdf.pictograms import FOR_KIND, PICTURES, Picture, draw, svg, write_static

__all__ = ["FOR_KIND", "PICTURES", "Picture", "draw", "svg", "write_static"]
