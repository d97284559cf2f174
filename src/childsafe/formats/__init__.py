"""Reading and writing the review's interchange files (CSV, XLSX, JSON)."""
