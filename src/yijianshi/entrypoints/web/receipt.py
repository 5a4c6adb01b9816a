"""The receipt of acceptance (受理回执) a window clerk prints and hands over, as a PDF.

    受理回执 / Receipt of acceptance                       ┌────┐
    the life event                                         │ QR │  the reference number
    Reference number  <application id, large>              └────┘
    applicant (masked ID number) · account · submitted · window clerk · expected completion
    ┌ item ─────────┬ department ─┬ time limit ─┬ due by ───────┬ state ┐   one row per item
    what to bring still (or nothing) · materials received · how to follow the status online

Text is set in reportlab's built-in CID font STSong-Light (Adobe-GB1), which every PDF reader
has: no font file is needed on the server and Chinese and Latin text both render. The language
is the page's; page texts come from the same catalogue as the templates (`_()`).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from babel.dates import format_date, format_datetime
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from yijianshi.domain.planning import ResolvedMaterial
from yijianshi.domain.text import Text
from yijianshi.entrypoints.web import i18n
from yijianshi.entrypoints.web.render import BABEL_LOCALE, CST
from yijianshi.services.applications.queries import CaseView, Receipt

FONT = "STSong-Light"
WIDTH = A4[0] - 36 * mm  # the frame between the margins
GREY = colors.HexColor("#505a5f")


@dataclass(frozen=True, slots=True)
class People:
    """Who the receipt names: the applicant (ID number already masked) and the window clerk."""

    applicant: str
    id_number: str
    account: str
    clerk: str


@dataclass(frozen=True, slots=True)
class Language:
    """The page language (`zh-CN` or `en`) and its translations (gettext, ngettext)."""

    code: str
    translations: Any


@functools.cache
def _font() -> str:
    """Register the CID font once per process (at first use, not at import)."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


class _Writer:
    """Paragraphs in the receipt's language and font."""

    def __init__(self, language: Language) -> None:
        self.code = language.code
        self.gettext: Callable[[str], str] = language.translations.gettext
        self.ngettext: Callable[[str, str, int], str] = language.translations.ngettext
        wrap = "CJK" if language.code == i18n.ZH else None
        base = ParagraphStyle("body", fontName=_font(), fontSize=10, leading=14, wordWrap=wrap)
        self.styles = {
            "body": base,
            "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11.5, textColor=GREY),
            "title": ParagraphStyle("title", parent=base, fontSize=20, leading=26),
            "heading": ParagraphStyle(
                "heading", parent=base, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4
            ),
            "reference": ParagraphStyle("reference", parent=base, fontSize=15, leading=20, wordWrap="CJK"),
            "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        }

    def text(self, value: Text | None) -> str:
        if value is None:
            return ""
        return value.en if self.code == i18n.EN else value.zh

    def day(self, value: dt.date) -> str:
        return format_date(value, format="long", locale=BABEL_LOCALE[self.code])

    def moment(self, value: dt.datetime) -> str:
        return format_datetime(value.astimezone(CST), format="medium", locale=BABEL_LOCALE[self.code])

    def p(self, text: str, style: str = "body") -> Paragraph:
        """A paragraph of plain text (escaped: catalogue names may hold & or <)."""
        return Paragraph(escape(text), self.styles[style])


def render(shown: Receipt, people: People, language: Language, status_url: str) -> bytes:
    """The receipt as PDF bytes (A4)."""
    w = _Writer(language)
    _ = w.gettext
    reference = shown.view.row.id
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{_('Receipt of acceptance')} {reference}",
        author=_("One thing"),
        subject=w.text(shown.view.bundle_name),
        creator="yijianshi",
    )
    story: list[Flowable] = [
        _header(w, shown, reference),
        Spacer(1, 4 * mm),
        _facts(w, shown, people),
        w.p(_("The items"), "heading"),
        _items(w, shown),
        *_materials(w, shown),
        *_follow(w, people, status_url, reference),
    ]
    footer = _("Reference number") + f" {reference}"

    def page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(_font(), 8)
        canvas.setFillColor(GREY)
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, str(doc.page))
        canvas.restoreState()

    document.build(story, onFirstPage=page, onLaterPages=page)
    return buffer.getvalue()


def _qr(reference: str, size: float = 32 * mm) -> Drawing:
    widget = QrCodeWidget(reference, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _header(w: _Writer, shown: Receipt, reference: str) -> Table:
    _ = w.gettext
    left = [
        w.p(_("Receipt of acceptance"), "title"),
        w.p(w.text(shown.view.bundle_name), "heading"),
        w.p(_("Reference number"), "small"),
        w.p(reference, "reference"),
        w.p(_("Quote this number at any window or on the phone."), "small"),
    ]
    table = Table([[left, _qr(reference)]], colWidths=[WIDTH - 36 * mm, 36 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _facts(w: _Writer, shown: Receipt, people: People) -> Table:
    _ = w.gettext
    applicant = f"{people.applicant} ({people.id_number})" if people.id_number else people.applicant
    rows = [
        (_("Applicant"), applicant),
        (_("Account"), people.account),
        (_("Submitted"), w.moment(shown.view.row.submitted_at)),
        (_("Window clerk"), people.clerk),
        (_("Everything expected done by"), w.day(shown.completion)),
    ]
    table = Table([[w.p(k, "cell"), w.p(v, "cell")] for k, v in rows], colWidths=[45 * mm, WIDTH - 45 * mm])
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#b1b4b6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _state(w: _Writer, state: str) -> str:
    _ = w.gettext
    labels = {
        "waiting": _("Waiting for another item"),
        "ready": _("Being sent"),
        "sent": _("Sent to the department"),
        "accepted": _("Accepted"),
        "supplement_requested": _("More information needed"),
        "completed": _("Completed"),
        "rejected": _("Not accepted"),
        "blocked": _("Cannot go ahead"),
        "withdrawn": _("Withdrawn"),
    }
    return labels.get(state, state)


def _due(w: _Writer, shown: Receipt, case: CaseView) -> str:
    _ = w.gettext
    day = shown.due.get(case.id)
    if day is None:
        return "—"
    if case.id in shown.expected:
        return _("expected by %(day)s") % {"day": w.day(day)}
    return _("by %(day)s") % {"day": w.day(day)}


def _items(w: _Writer, shown: Receipt) -> Table:
    _ = w.gettext
    head = [_("Item"), _("Department"), _("Time limit"), _("Due"), _("State")]
    rows: list[list[Any]] = [[w.p(h, "cell") for h in head]]
    for case in shown.view.cases:
        limit = (
            w.ngettext("%(num)d working day", "%(num)d working days", case.promised_days)
            % {"num": case.promised_days}
            if case.promised_days
            else _("On the spot")
        )
        rows.append(
            [
                w.p(v, "cell")
                for v in (
                    w.text(case.name),
                    w.text(case.department_name),
                    limit,
                    _due(w, shown, case),
                    _state(w, case.state),
                )
            ]
        )
    table = Table(rows, colWidths=[x * WIDTH for x in (0.28, 0.22, 0.14, 0.2, 0.16)], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.5, colors.HexColor("#b1b4b6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _material_line(w: _Writer, material: ResolvedMaterial) -> Paragraph:
    _ = w.gettext
    later = material.necessity.value == "later"
    note = f" ({_('may follow after acceptance')})" if later else ""
    return w.p(f"• {w.text(material.name)}{note}")


def _materials(w: _Writer, shown: Receipt) -> Sequence[Flowable]:
    _ = w.gettext
    found: list[Flowable] = [w.p(_("What you still need to bring"), "heading")]
    if shown.bring:
        found += [_material_line(w, m) for m in shown.bring]
        found.append(
            w.p(
                _(
                    "You need not bring a material you hold as a valid electronic certificate: "
                    "the departments read it themselves."
                ),
                "small",
            )
        )
    else:
        found.append(
            w.p(
                _(
                    "Nothing. The departments get everything else from each other and from the "
                    "records government already holds."
                )
            )
        )
    if shown.received:
        found += [w.p(_("Materials received"), "heading"), *(_material_line(w, m) for m in shown.received)]
    return found


def _follow(w: _Writer, people: People, status_url: str, reference: str) -> Sequence[Flowable]:
    _ = w.gettext
    return [
        w.p(_("Follow the status online"), "heading"),
        w.p(
            _(
                "Log in at %(url)s with the account %(account)s to see each item's state, deadline and "
                "certificates as they arrive, and to answer any request for more information."
            )
            % {"url": status_url, "account": people.account}
        ),
        w.p(
            _(
                "Or quote the reference number %(reference)s at any window: the code at the top holds it, "
                "for the window to scan."
            )
            % {"reference": reference},
            "small",
        ),
    ]
