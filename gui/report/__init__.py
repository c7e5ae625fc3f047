"""Design-review reports (PDF or HTML): one design, or a comparison of several.

The package: `document` builds the report (and the `report` command), `data` the numbers
and texts it shows, `compare` the side-by-side comparison (also used by the Compare
window), `charts` the figures, `layout` the page layout and PDF/HTML writers.

The API callers use is here: `export_report(designs, out_path, page_size="A4", ...)`,
`build_report`, `install_cli` (see gui.report.document).
"""
from .data import ReportOptions
from .document import (FORMATS, PAGE_SIZE_NAMES, ReportInfo, build_report, ensure_qt_app, export_report,
                       install_cli, normalise_page_size, report_format)

__all__ = ["FORMATS", "PAGE_SIZE_NAMES", "ReportInfo", "ReportOptions", "build_report", "ensure_qt_app",
           "export_report", "install_cli", "normalise_page_size", "report_format"]
