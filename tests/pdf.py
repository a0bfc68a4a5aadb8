"""Reading a PDF's text in tests with pypdf (a Python package), so no test needs poppler's pdftotext."""

import io

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
