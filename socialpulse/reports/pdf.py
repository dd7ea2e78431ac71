"""The client-ready PDF: cover summary, charts and tables (fpdf2; DejaVu font from matplotlib,
so any Latin/Greek/Cyrillic post text prints)."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from fpdf import FPDF

from socialpulse.reports import charts
from socialpulse.reports.charts import clean

_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_TITLES = {"performance": "Social performance report", "competitor": "Competitor report",
           "full": "Social media report"}


def _num(value, pct: bool = False) -> str:
    if value is None:
        return "-"
    if pct:
        return f"{100 * value:.2f}%"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


class _Doc(FPDF):
    def __init__(self, title: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font("DejaVu", "", str(_FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(_FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.report_title = title
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(title)
        self.set_creator("socialpulse")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(120)
        self.cell(0, 6, f"{self.report_title} · page {self.page_no()}/{{nb}}", align="C")

    def heading(self, text: str) -> None:
        self.set_font("DejaVu", "B", 13)
        self.set_text_color(20)
        self.cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font("DejaVu", "", 9)

    def chart(self, png: bytes) -> None:
        self.image(io.BytesIO(png), w=self.epw)
        self.ln(3)

    def grid(self, header: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        self.set_font("DejaVu", "", 8)
        with self.table(col_widths=widths, text_align="LEFT", line_height=5,
                        first_row_as_headings=True) as table:
            table.row(header)
            for r in rows:
                table.row(r)
        self.ln(4)


def render(report: dict) -> bytes:
    meta = report["report"]
    doc = _Doc(_TITLES.get(meta["report_type"], "Report"))
    doc.alias_nb_pages()
    doc.add_page()
    doc.set_font("DejaVu", "B", 18)
    doc.cell(0, 12, clean(meta.get("workspace_name") or "Client", 80), new_x="LMARGIN",
             new_y="NEXT")
    doc.set_font("DejaVu", "", 10)
    doc.set_text_color(90)
    doc.cell(0, 6, f"{doc.report_title} · {meta['start_date']} to {meta['end_date']}",
             new_x="LMARGIN", new_y="NEXT")
    doc.cell(0, 6, f"prepared by {clean(meta.get('agency_name') or 'your agency', 60)} · "
             f"generated {meta['generated_at']}", new_x="LMARGIN", new_y="NEXT")
    doc.ln(4)
    summary = report.get("summary") or []
    doc.heading("Summary")
    doc.grid(["Account", "Platform", "Posts", "Engagement", "Avg / post", "Eng. rate",
              "Followers", "Growth"],
             [[clean("@" + (r["handle"] or ""), 24), r["platform"], _num(r["posts"]),
               _num(r["engagement"]), _num(r["avg_engagement"]),
               _num(r["engagement_rate"], pct=True), _num(r["followers_end"]),
               _num(r["follower_growth"])] for r in summary],
             (34, 22, 16, 24, 22, 20, 22, 20))
    if "engagement_over_time" in report:
        doc.heading("Engagement over time")
        doc.chart(charts.engagement_over_time(report["engagement_over_time"]))
    if "top_posts" in report:
        doc.heading("Top posts")
        doc.chart(charts.top_posts(report["top_posts"]))
        doc.grid(["Account", "Posted", "Post", "Engagement", "Eng. rate"],
                 [[clean("@" + (r["handle"] or ""), 20), (r["created_at"] or "")[:10],
                   clean(r["text"], 70), _num(r["engagement"]),
                   _num(r["engagement_rate_by_followers"], pct=True)]
                  for r in report["top_posts"]],
                 (28, 20, 92, 24, 20))
    if "competitors" in report:
        doc.heading("Competitor comparison")
        doc.chart(charts.competitor_comparison(report["competitors"]))
        # competitors expose public engagement only, so the comparison is on it throughout
        doc.grid(["Account", "Platform", "Role", "Posts", "Public eng.", "Public eng. / post",
                  "Eng. rate", "Share of voice"],
                 [[clean("@" + (r["handle"] or ""), 22), r["platform"],
                   "competitor" if r["is_competitor"] else "client", _num(r["posts"]),
                   _num(r["public_engagement"]), _num(r["public_engagement_per_post"]),
                   _num(r["engagement_rate"], pct=True), _num(r["share_of_voice"], pct=True)]
                  for r in report["competitors"]],
                 (30, 20, 20, 14, 22, 22, 20, 22))
    if "hashtags" in report:
        doc.heading("Hashtags")
        doc.chart(charts.hashtags(report["hashtags"]))
    return bytes(doc.output())
