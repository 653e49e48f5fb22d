"""Report numbers, charts, outputs (PDF/HTML/XLSX/CSV/JSON), the golden thread and theme matching between years."""
