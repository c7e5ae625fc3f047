"""Design-review reports: PDF and HTML contents, page size, identity hashes, pagination,
the comparison's attribution (hand-calculated), and the `report` command line."""
from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

import core
from core.io import design_json
from gui.report import export_report
from gui.report.compare import compare, compare_results, diff_designs
from gui.report.data import (design_identity, fmt, materials_used, sensitivity,
                             sensitivity_parameters, target_Wh_kg)

ROOT = Path(__file__).resolve().parents[2]
BASELINE = "review-baseline-nmc811-li3incl6-li"


def pdf_pages(raw: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", raw))


def pdf_images(raw: bytes) -> int:
    return len(re.findall(rb"/Subtype\s*/Image\b", raw))


def pdftotext(path: Path, first: int | None = None, last: int | None = None) -> str:
    """The text of pages first..last (1-based; all by default), read with pypdf."""
    pages = PdfReader(str(path)).pages
    lo = (first or 1) - 1
    hi = (last or first or len(pages))
    text = "\n".join(pages[i].extract_text() for i in range(lo, hi))
    return re.sub(r"[ \t]+", " ", text)


def pdf_image_filters(path: Path) -> list[str]:
    """The compression filter of every image placed on a page, e.g. '/FlateDecode'."""
    out = []
    for page in PdfReader(str(path)).pages:
        for ref in page["/Resources"].get("/XObject", {}).values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                out.append(str(obj.get("/Filter")))
    return out


@pytest.fixture(scope="module")
def baseline():
    return core.load_preset(BASELINE)


@pytest.fixture(scope="module")
def baseline_file(tmp_path_factory, baseline):
    path = tmp_path_factory.mktemp("designs") / "baseline.json"
    core.save_design(baseline, path)
    return path


@pytest.fixture(scope="module")
def baseline_pdf(qapp, tmp_path_factory, baseline, baseline_file):
    out = tmp_path_factory.mktemp("reports") / "baseline.pdf"
    info = export_report([(baseline, str(baseline_file))], out)
    return out, info


# --------------------------------------------------------------------------- PDF
def test_pdf_structure_without_poppler(baseline_pdf, baseline):
    out, info = baseline_pdf
    raw = out.read_bytes()
    assert raw.startswith(b"%PDF-")
    assert raw.rstrip().endswith(b"%%EOF")
    assert info.format == "pdf" and info.bytes == len(raw)
    assert pdf_pages(raw) == info.pages >= 3
    # cross-section, breakdown and one chart pair per sensitivity lever
    assert pdf_images(raw) >= 2 + len(sensitivity_parameters(baseline))
    assert re.search(rb"/MediaBox\s*\[0 0 595(\.0+)? 842(\.0+)?\]", raw), "A4 is 595 x 842 pt"
    assert f"Design review: {baseline.name}".encode("utf-16-be") in raw  # PDF title (metadata)
    assert b"/DCTDecode" not in raw, "charts must be stored losslessly, not as JPEG"


def test_pdf_text_and_pictures(baseline_pdf, baseline, baseline_file):
    out, info = baseline_pdf
    text = pdftotext(out)
    flat = " ".join(text.split())
    r = core.evaluate(baseline)
    assert baseline.name in flat
    assert "Wh/kg" in text and "Wh/L" in text
    assert fmt(r.gravimetric_Wh_kg) in text and fmt(r.volumetric_Wh_L) in text
    assert fmt(r.stack_gravimetric_Wh_kg) in text
    assert hashlib.sha256(baseline_file.read_bytes()).hexdigest() in text
    assert "sha256 of the file's bytes" in flat
    assert core.__version__ in text
    for section in ("Unit cell", "Materials data used", "Stacking and packaging", "Mass and volume breakdown",
                    "Sensitivity and targets", "Warnings", "Model assumptions", "Not modelled"):
        assert section in text, section
    assert "Needed for 400 Wh/kg" in flat
    for m in materials_used(baseline):  # every material with its data
        assert m.name in text
    assert f"Page 1 of {info.pages}" in text and f"Page {info.pages} of {info.pages}" in text
    filters = pdf_image_filters(out)
    assert len(filters) >= 2 + len(sensitivity_parameters(baseline))
    assert "/DCTDecode" not in filters, "charts must be stored losslessly, not as JPEG"


def test_every_page_has_header_and_page_number(baseline_pdf, baseline):
    out, info = baseline_pdf
    for page in range(1, info.pages + 1):
        text = pdftotext(out, page)
        assert f"Page {page} of {info.pages}" in text
        assert "SSB Pouch Designer" in text


def test_letter_page_size(qapp, tmp_path, baseline):
    out = tmp_path / "letter.pdf"
    info = export_report([(baseline, None)], out, page_size="letter")
    raw = out.read_bytes()
    assert re.search(rb"/MediaBox\s*\[0 0 612(\.0+)? 792(\.0+)?\]", raw), "Letter is 612 x 792 pt"
    assert pdf_pages(raw) == info.pages


def test_bad_arguments(qapp, tmp_path, baseline):
    with pytest.raises(ValueError, match="must end in .pdf or .html"):
        export_report([(baseline, None)], tmp_path / "x.docx")
    with pytest.raises(ValueError, match="A4.*Letter"):
        export_report([(baseline, None)], tmp_path / "x.pdf", page_size="A3")
    with pytest.raises(core.DesignError, match="at least one design"):
        export_report([], tmp_path / "x.pdf")
    bad = baseline.replace_layer(2, replace(baseline.unit_cell[2], thickness_um=-5.0))
    with pytest.raises(core.DesignError, match=r"unit_cell\[2\]\.thickness_um"):
        export_report([(bad, None)], tmp_path / "x.pdf")
    assert not list(tmp_path.iterdir()), "nothing (not even a temporary file) is left behind"


# --------------------------------------------------------------------------- HTML
class _Balance(HTMLParser):
    VOID = {"br", "img", "meta", "hr", "link", "input", "col", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.imgs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.imgs.append(dict(attrs))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag == "img":
            self.imgs.append(dict(attrs))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()


def test_html_is_one_well_formed_file(qapp, tmp_path, baseline):
    out = tmp_path / "review.html"
    info = export_report([(baseline, None)], out)
    text = out.read_text(encoding="utf-8")
    assert info.format == "html"
    ET.fromstring(text.split("\n", 1)[1])  # XML-well-formed after the doctype line
    p = _Balance()
    p.feed(text)
    p.close()
    assert not p.errors and not p.stack
    assert len(p.imgs) >= 2 + len(sensitivity_parameters(baseline))
    for img in p.imgs:  # embedded, so the file stands alone
        assert img["src"].startswith("data:image/png;base64,")
        assert base64.b64decode(img["src"].split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
        assert img.get("alt")
    r = core.evaluate(baseline)
    assert baseline.name in text
    assert fmt(r.gravimetric_Wh_kg) in text and "Wh/kg" in text and "Wh/L" in text
    assert hashlib.sha256(design_json(baseline).encode()).hexdigest() in text
    assert "http://" not in text.replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    assert "@page { size: A4" in text


# --------------------------------------------------------------------------- identity
def test_identity_hashes(tmp_path, baseline):
    path = tmp_path / "d.json"
    core.save_design(baseline, path)
    canon = hashlib.sha256(design_json(baseline).encode("utf-8")).hexdigest()
    ident = design_identity(baseline, str(path))
    assert ident.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert ident.file_label == "d.json" and "file's bytes" in ident.hash_basis
    assert design_identity(baseline, None).sha256 == canon  # unsaved: what Save would write
    edited = replace(baseline, name="edited")
    e = design_identity(edited, str(path))
    assert "edited since" in e.file_label
    assert e.sha256 == hashlib.sha256(design_json(edited).encode()).hexdigest()
    preset = design_identity(baseline, str(core.presets.preset_path(BASELINE)))
    assert "preset" in preset.file_label and preset.sha256 == canon


# --------------------------------------------------------------------------- comparison
def test_comparison_with_itself_has_zero_deltas(qapp, tmp_path, baseline):
    c = compare(baseline, baseline)
    assert c.identical and not diff_designs(baseline, baseline)
    assert all(v == 0 for v in c.total.values())
    r = core.evaluate(baseline)
    for row in compare_results([r, r]):
        assert row.deltas[1] in (0, None)
    out = tmp_path / "self.pdf"
    export_report([(baseline, None), (baseline, None)], out)
    assert "No differences" in pdftotext(out)


def test_single_difference_is_the_whole_delta_by_hand(baseline):
    """Separator 30 -> 20 um: the only difference; the pouch loses 20 x 2.69 mg/cm2 x 104.04 cm2."""
    sep = baseline.index_of("separator")
    other = baseline.replace_layer(sep, replace(baseline.unit_cell[sep], thickness_um=20.0))
    c = compare(baseline, other)
    assert [(a.difference.item, a.difference.what) for a in c.attributions] == [("SSE separator", "thickness")]
    r = core.evaluate(baseline)
    dm_g = 20 * 2.69 * (30 - 20) * 0.1 * (10.2 * 10.2) / 1000  # N x rho x dt x 0.1 x area (1 mm overhang)
    expected = r.energy_Wh / (r.mass_g - dm_g) * 1000 - r.gravimetric_Wh_kg
    assert c.attributions[0].delta() == pytest.approx(expected, rel=1e-9)
    assert c.total["gravimetric_Wh_kg"] == pytest.approx(expected, rel=1e-9)
    assert c.interaction() == pytest.approx(0, abs=1e-9)


def test_material_override_attribution_by_hand(baseline):
    """NMC811 at 210 instead of 200 mAh/g: composite 0.85 x 210 = 178.5 vs 170 mAh/g, mass and
    volume unchanged (loading and density given), so Wh/kg and Wh/L rise by 5 %."""
    other = replace(baseline, materials={"NMC811": {"specific_capacity_mAh_g": 210}})
    c = compare(baseline, other)
    assert len(c.attributions) == 1 and c.attributions[0].difference.area == "Materials"
    r = core.evaluate(baseline)
    assert c.attributions[0].delta() == pytest.approx(r.gravimetric_Wh_kg * 0.05, rel=1e-9)
    assert c.attributions[0].delta("volumetric_Wh_L") == pytest.approx(r.volumetric_Wh_L * 0.05, rel=1e-9)


def test_layer_differences_sorted_and_substituted_alone(baseline):
    other = core.load_preset("anode-free-nmc811-li6ps5cl")
    c = compare(baseline, other)
    found = {(a.difference.item, a.difference.what) for a in c.attributions}
    assert ("Anode", "layer") in found and ("Interlayer", "layer") in found
    assert ("SSE separator", "composition") in found
    effects = [abs(a.delta()) for a in c.attributions if a.deltas is not None]
    assert effects == sorted(effects, reverse=True)
    r0 = core.evaluate(baseline)
    for a in c.attributions:  # each delta is the reference with that one change, minus the reference
        alone = core.evaluate(a.difference.apply(baseline))
        assert a.delta() == pytest.approx(alone.gravimetric_Wh_kg - r0.gravimetric_Wh_kg, abs=1e-9)
    assert c.total["gravimetric_Wh_kg"] == pytest.approx(
        core.evaluate(other).gravimetric_Wh_kg - r0.gravimetric_Wh_kg)


def test_difference_that_cannot_stand_alone_is_reported(baseline):
    ref = replace(baseline, stacking=replace(baseline.stacking, unit_cells=3))
    other = replace(baseline, stacking=replace(baseline.stacking, unit_cells=2, collector_sharing="bicell"))
    c = compare(ref, other)
    arr = next(a for a in c.attributions if a.difference.what == "arrangement")
    assert arr.deltas is None and "even" in arr.error  # bicell with 3 unit cells is invalid
    assert any(a.difference.what == "unit cells" and a.deltas is not None for a in c.attributions)


# --------------------------------------------------------------------------- sensitivity
def test_sensitivity_levers_and_targets():
    li = core.load_preset(BASELINE)
    assert sensitivity_parameters(li)[:3] == ["cathode.areal_capacity_mAh_cm2", "separator.thickness_um",
                                              "anode.thickness_um"]
    assert "anode.np_ratio" in sensitivity_parameters(core.load_preset("graphite-nmc811-li6ps5cl"))
    free = sensitivity_parameters(core.load_preset("anode-free-nmc811-li6ps5cl"))
    assert not any(p.startswith("anode.") for p in free)
    lis = core.load_preset("review-li-s-baseline")
    assert target_Wh_kg(li) == 400 and target_Wh_kg(lis) == 500  # Li-S: cathode not lithiated
    assert "cathode.active_fraction" in sensitivity_parameters(lis)
    s = sensitivity(li, "separator.thickness_um")
    stack = next(n for n in s.needed if n.key == "stack_gravimetric_Wh_kg")
    assert stack.at_least is False and stack.value is not None
    at = core.evaluate(core.with_parameter(li, "separator.thickness_um", stack.value))
    assert at.stack_gravimetric_Wh_kg == pytest.approx(400, rel=1e-3)
    assert s.x.min() <= s.current <= s.x.max()


# --------------------------------------------------------------------------- pagination
def test_long_table_splits_with_header_repeated(qapp, tmp_path):
    from gui.report.layout import Column, Heading, Html, Report, Table, write_pdf
    filler = [Html(fragment=f"<p>Paragraph {i} " + "words " * 60 + "</p>") for i in range(6)]
    table = Table(columns=[Column("HeaderAlpha"), Column("HeaderBeta", True)],
                  rows=[[f"row{i:03d}", str(i)] for i in range(120)])
    pages = write_pdf(Report("Pagination", filler + [Heading(text="TableHeading"), table]), tmp_path / "p.pdf")
    assert pages >= 3
    texts = [pdftotext(tmp_path / "p.pdf", n) for n in range(1, pages + 1)]
    with_rows = [t for t in texts if "row0" in t or "row1" in t]
    assert len(with_rows) >= 2
    assert all("HeaderAlpha" in t for t in with_rows), "header repeated on every page of the table"
    first = next(i for i, t in enumerate(texts) if "TableHeading" in t)
    assert "row000" in texts[first], "the heading stays with the start of its table"
    seen = re.findall(r"row(\d{3})", "".join(texts))
    assert [int(x) for x in seen] == list(range(120)), "every row once, in order"


# --------------------------------------------------------------------------- command line
def _main(argv):
    from main import main
    return main(argv)


def test_cli_exit_codes(qapp, tmp_path, capsys, baseline_file):
    out = tmp_path / "cmp.pdf"
    other = tmp_path / "other.json"
    core.save_design(core.load_preset("anode-free-nmc811-li6ps5cl"), other)
    assert _main(["report", str(baseline_file), str(other), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert "wrote" in capsys.readouterr().err
    assert _main(["report", "preset:" + BASELINE, "-o", str(tmp_path / "r.html"), "--page-size", "Letter"]) == 0
    assert "@page { size: letter" in (tmp_path / "r.html").read_text(encoding="utf-8")
    capsys.readouterr()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "ssb-pouch-design", "schema_version": 1, "name": "x"}', encoding="utf-8")
    for argv, needle in (
            (["report", str(baseline_file), "-o", str(tmp_path / "r.txt")], "must end in .pdf or .html"),
            (["report", str(tmp_path / "missing.json"), "-o", str(out)], "no such file"),
            (["report", str(bad), "-o", str(out)], "bad.json"),
            (["report", str(baseline_file), "-o", str(out), "--page-size", "A5"], "A4"),
            (["report", str(baseline_file), "-o", str(tmp_path / "nodir" / "r.pdf")], "does not exist"),
            (["report", "-o", str(out)], "FILE"),
            (["report", "preset:nope", "-o", str(out)], "unknown preset"),
    ):
        assert _main(argv) == 2, argv
        err = capsys.readouterr().err.strip()
        assert err.startswith("error:") and needle in err and "\n" not in err, (argv, err)


def test_cli_headless_subprocess(tmp_path, baseline_file):
    """`python main.py report FILE -o out.pdf` with no display and no QT_QPA_PLATFORM."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    out = tmp_path / "out.pdf"
    run = subprocess.run([sys.executable, str(ROOT / "main.py"), "report", str(baseline_file), "-o", str(out)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert out.read_bytes().startswith(b"%PDF-") and pdf_pages(out.read_bytes()) >= 3


def test_heading_caption_and_table_start_on_one_page(qapp, tmp_path):
    """A heading, its one-line caption and the table they introduce never split across pages
    (a comparison section once left its heading alone at the foot of a page)."""
    from gui.report.layout import Column, Heading, Html, Report, Table, write_pdf
    table = Table(columns=[Column("ColA"), Column("ColB", True)], rows=[[f"row{i:02d}", str(i)] for i in range(8)])
    for n_filler in range(8, 16):   # move the heading down the page until the group must break
        filler = [Html(fragment=f"<p>Paragraph {i} " + "words " * 60 + "</p>") for i in range(n_filler)]
        blocks = filler + [Heading(text="SectionHeading"),
                           Html(fragment="<p class='small'>SectionCaption</p>", space_before_pt=2, keep_with_next=True),
                           table]
        out = tmp_path / f"k{n_filler}.pdf"
        pages = write_pdf(Report("Keep", blocks), out)
        texts = [pdftotext(out, n) for n in range(1, pages + 1)]
        where = {key: next(i for i, t in enumerate(texts) if key in t)
                 for key in ("SectionHeading", "SectionCaption", "row00")}
        assert len(set(where.values())) == 1, (n_filler, where)
