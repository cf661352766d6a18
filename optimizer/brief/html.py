"""V3: the brief as one self-contained HTML file.

Everything is inside the file: styles inline, images as ``data:`` URIs, the table sorter as a
few lines of inline script. It loads nothing from anywhere (no fonts, scripts or styles from a
network, not even a favicon), so it opens the same on a machine with no network.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
color:#1a1a1a;margin:0;background:#fafaf7}
main{max-width:1180px;margin:0 auto;padding:18px 26px 60px}
h1{font-size:22px;margin:8px 0 2px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid
#ddd;padding-bottom:3px}h3{font-size:14px;margin:18px 0 6px}
.sub{color:#555;margin:0 0 14px}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:10px}
.fig{background:#fff;border:1px solid #e0e0da;border-radius:6px;padding:8px 10px}
.fig b{display:block;font-size:18px}.fig span{color:#555;font-size:12px}
.fig small{display:block;color:#777;font-size:11px}
figure{margin:10px 0 18px;background:#fff;border:1px solid #e0e0da;border-radius:6px;padding:8px}
figure img{max-width:min(100%,860px);height:auto;display:block;margin:0 auto}
figure.wide img{max-width:100%}
figcaption{color:#555;font-size:12px;margin-top:4px}
table{border-collapse:collapse;font-size:12.5px;background:#fff;margin:6px 0 14px}
th,td{border:1px solid #e0e0da;padding:3px 7px;text-align:right;white-space:nowrap}
th{background:#f0f0ea;cursor:pointer;user-select:none}th.sorted-asc:after{content:" \\25B2"}
th.sorted-desc:after{content:" \\25BC"}
td.t,th.t{text-align:left}.wrap{overflow-x:auto}
ul{margin:4px 0 10px 18px;padding:0}li{margin:2px 0}
code,pre{font:12.5px/1.4 ui-monospace,"DejaVu Sans Mono",monospace;background:#f0f0ea;
border-radius:4px}pre{padding:8px 10px;white-space:pre-wrap;word-break:break-all}
.note{color:#555;font-size:12px}.warn{color:#8a3b00}
"""

SORTER = """
document.querySelectorAll('table.sortable').forEach(function(table){
  table.querySelectorAll('th').forEach(function(th, col){
    th.addEventListener('click', function(){
      var body = table.tBodies[0]; if (!body) return;
      var asc = !th.classList.contains('sorted-asc');
      table.querySelectorAll('th').forEach(function(h){
        h.classList.remove('sorted-asc','sorted-desc');});
      th.classList.add(asc ? 'sorted-asc' : 'sorted-desc');
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function(a, b){
        var x = a.cells[col].textContent.trim(), y = b.cells[col].textContent.trim();
        var nx = parseFloat(x.replace(/,/g,'')), ny = parseFloat(y.replace(/,/g,''));
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return asc ? c : -c;});
      rows.forEach(function(r){ body.appendChild(r); });
    });
  });
});
"""


@dataclass(frozen=True)
class Figure:
    """A key figure: value, what it is, and a note (unit, source, caveat)."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Image:
    png: bytes
    alt: str
    caption: str = ""
    wide: bool = False  # the map: as wide as the page; charts stay readable-sized


@dataclass(frozen=True)
class Table:
    title: str
    frame: pd.DataFrame
    note: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    items: list[str] = field(default_factory=list)  # plain-text bullet points
    images: list[Image] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    note: str = ""
    text: str = ""  # preformatted (a folder's summary as the command printed it)


@dataclass(frozen=True)
class Brief:
    title: str
    subtitle: str
    figures: Sequence[Figure]
    sections: Sequence[Section]
    command: str


def render_html(brief: Brief) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        f"<title>{_e(brief.title)}</title>",
        f"<style>{STYLE}</style></head><body><main>",
        f"<h1>{_e(brief.title)}</h1>",
        f'<p class="sub">{_e(brief.subtitle)}</p>',
    ]
    if brief.figures:
        parts.append('<h2>Key figures</h2><div class="figures" id="key-figures">')
        for f in brief.figures:
            note = f"<small>{_e(f.note)}</small>" if f.note else ""
            parts.append(
                f'<div class="fig"><b>{_e(f.value)}</b><span>{_e(f.label)}</span>{note}</div>'
            )
        parts.append("</div>")
    for section in brief.sections:
        parts.append(_section(section))
    parts.append("<h2>Reproduce</h2>")
    parts.append(f'<pre id="command">{_e(brief.command)}</pre>')
    parts.append(
        '<p class="note">This file is self-contained: images are embedded and it loads nothing '
        "from a network.</p>"
    )
    parts.append(f"</main><script>{SORTER}</script></body></html>")
    return "\n".join(parts) + "\n"


def _section(section: Section) -> str:
    parts = [f"<h2>{_e(section.title)}</h2>"]
    if section.note:
        parts.append(f'<p class="note">{_e(section.note)}</p>')
    if section.text:
        parts.append(f"<pre>{_e(section.text)}</pre>")
    if section.items:
        parts.append("<ul>" + "".join(f"<li>{_e(i)}</li>" for i in section.items) + "</ul>")
    for image in section.images:
        data = base64.b64encode(image.png).decode("ascii")
        caption = f"<figcaption>{_e(image.caption)}</figcaption>" if image.caption else ""
        wide = ' class="wide"' if image.wide else ""
        parts.append(
            f"<figure{wide}>"
            f'<img src="data:image/png;base64,{data}" alt="{_e(image.alt)}">'
            f"{caption}</figure>"
        )
    for table in section.tables:
        parts.append(f"<h3>{_e(table.title)}</h3>")
        if table.note:
            parts.append(f'<p class="note">{_e(table.note)}</p>')
        parts.append(
            f'<div class="wrap" id="{table_id(table.title)}">{table_html(table.frame)}</div>'
        )
    return "\n".join(parts)


def table_id(title: str) -> str:
    """The HTML id of a table's box: ``table-`` and its title in lower-case words."""
    return "table-" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def table_html(frame: pd.DataFrame) -> str:
    """A sortable table; numbers right-aligned and shown with 4 significant digits."""
    head = "".join(
        f'<th class="{"t" if not _numeric(frame[c]) else ""}">{_e(str(c))}</th>'
        for c in frame.columns
    )
    numeric = {c: _numeric(frame[c]) for c in frame.columns}
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for c, value in zip(frame.columns, record, strict=True):
            cls = "" if numeric[c] else ' class="t"'
            cells.append(f"<td{cls}>{_e(_cell(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="sortable"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _numeric(column: pd.Series) -> bool:
    return bool(pd.api.types.is_numeric_dtype(column)) and not pd.api.types.is_bool_dtype(column)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def _e(text: str) -> str:
    return html.escape(text, quote=True)
