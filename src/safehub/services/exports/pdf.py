"""PDF exports: an HTML template rendered by WeasyPrint, marked on every page.

The template is ``templates/document.html`` beside this module. WeasyPrint is imported when a PDF is asked for: it is heavy, and it needs Pango from the
operating system (``scripts/install-pdf-deps.sh``); without it, a PDF export is refused with a
message that says so, and CSV still works.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from safehub.services.exports.documents import ExportTable

TEMPLATES = Path(__file__).with_name("templates")


class PdfUnavailableError(RuntimeError):
    """WeasyPrint or its system libraries are missing here."""


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
    )


def render_html(table: ExportTable) -> str:
    """The export as the HTML document WeasyPrint prints (every value escaped)."""
    return _environment().get_template("document.html").render(table=table)


def render_pdf(table: ExportTable) -> bytes:
    """The export as a PDF; ``PdfUnavailableError`` when WeasyPrint cannot run here."""
    html = render_html(table)
    try:
        import weasyprint
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:
        raise PdfUnavailableError(
            "PDF export needs WeasyPrint and the Pango library: run scripts/install-pdf-deps.sh "
            "(or choose CSV)"
        ) from exc
    # The document is self-contained: no URL, file or data: address is ever fetched, whatever
    # text the records hold.
    fetcher = URLFetcher(allowed_protocols=(), fail_on_errors=False)
    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf
