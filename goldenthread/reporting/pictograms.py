"""The easy-read report's pictures: the one library in :mod:`goldenthread.pdf.pictograms`, under its old names."""
from goldenthread.pdf.pictograms import BY_KEY, DEFAULT, PICTURES, Pictogram, drawing, pictogram_for

PICTOGRAMS = [PICTURES[key] for key in ("house", "money", "transport", "friends", "health", "work", "food", "staff",
                                         "safety", "learning", "clock")]

__all__ = ["BY_KEY", "DEFAULT", "PICTOGRAMS", "Pictogram", "drawing", "pictogram_for"]
