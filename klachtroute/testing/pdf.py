"""Reading a PDF the product made, as a person reading it would."""

import io

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """The text of a PDF with its whitespace flattened."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
