"""Download buttons for the one-page summary (HTML and PDF, in the page's language)."""

from __future__ import annotations

import solara

from sim_app.export import summary
from sim_app.session.state import Session
from sim_app.text.i18n import tr


@solara.component
def SummaryButtons(session: Session):
    lang = session.lang.value

    def html_bytes() -> bytes:
        return summary.to_html(summary.build(session, lang))

    def pdf_bytes() -> bytes:
        return summary.to_pdf(summary.build(session, lang))

    with solara.Row(gap="6px", classes=["summary-buttons"]) as el:
        solara.FileDownload(html_bytes, filename=f"summary-{lang}.html",
                            label=tr("summary_html", lang), mime_type="text/html")
        solara.FileDownload(pdf_bytes, filename=f"summary-{lang}.pdf",
                            label=tr("summary_pdf", lang), mime_type="application/pdf")
    return el
