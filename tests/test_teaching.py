"""The teacher's guide (docs/teaching.md) says only what is true of this collection.

Read from the guide and checked against the notebooks, the slide metadata and the explorers:

- every section it names (§ “heading”) is a heading of the chapter it is named for, and the
  sections a part shows ("Show:") are on that chapter's slides;
- every explorer it projects is an entry of the classroom page's chapter menu, and every control
  it says to move is a control of that explorer, by the label the page shows;
- the numbers it quotes from an explorer's readout are what the readout says after the move it
  describes, and the numbers it quotes from a chapter are in that chapter's stored outputs;
- the minutes of the 90-minute route add up to 90 and those of the 45-minute route to 45;
- the rendered site has the guide as a page, linked from the index.
"""

import html
import importlib.util
import pathlib
import re

import nbformat
import pytest

from helpers import widgets

ROOT = pathlib.Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
SECTION = re.compile(r"§ “((?:[^”])+)”")


def chapter_path(number):
    return next((ROOT / "notebooks").glob(f"{number}_*.ipynb"))


def headings(number):
    """(heading text, its cell's slide type) of a chapter's ## and ### headings."""
    nb = nbformat.read(chapter_path(number), as_version=4)
    out = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            kind = cell.metadata.get("slideshow", {}).get("slide_type")
            out += [(m.group(1).strip(), kind)
                    for m in re.finditer(r"^#{2,3} (.+)$", cell.source, re.M)]
    return out


def stored_text(number):
    """The chapter's stored text outputs, as printed."""
    nb = nbformat.read(chapter_path(number), as_version=4)
    return "\n".join(o.get("text", "") + o.get("data", {}).get("text/plain", "")
                     for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def parts():
    """{part heading: its text} of the 90-minute route's '### Part N · NN ...' sections."""
    pieces = re.split(r"^### (Part \d+ · .+)$", GUIDE, flags=re.M)
    return {pieces[i]: pieces[i + 1].split("\n## ")[0] for i in range(1, len(pieces), 2)}


def control_labels(explorer):
    """The labels the page shows beside an explorer's controls (sliders, menus, toggles, boxes)."""
    labels = set()
    for row in explorer.children[1 if explorer.title else 0].children:  # the controls grid
        if hasattr(row, "children") and row.children:  # a toggle row: its label is an HTML widget
            labels.add(html.unescape(re.sub(r"<[^>]+>", "", row.children[0].value)).strip())
        else:
            labels.add(row.description)
    return labels


def test_the_route_takes_90_minutes_and_the_short_one_45():
    route = GUIDE.split("## The 90-minute route")[1].split("### Part 1")[0]
    minutes = [int(m) for m in re.findall(r"^\| \d+ \| (\d+) \|", route, re.M)]
    assert len(minutes) == 8 and sum(minutes) == 90, minutes
    for heading, text in parts().items():  # each part's heading repeats its minutes
        number = int(heading.split()[1])
        assert f"({minutes[number - 1]} minutes)" in heading, heading
    short = GUIDE.split("## The 45-minute route")[1].split("\n## ")[0]
    assert sum(int(m) for m in re.findall(r"^\| (\d+) \| \d\d \|", short, re.M)) == 45


def test_every_section_named_is_in_its_chapter_and_shown_ones_are_on_its_slides():
    found = 0
    for heading, text in parts().items():
        number = re.search(r"· (\d\d) ", heading).group(1)
        known = dict(headings(number))
        for name in map(" ".join, map(str.split, SECTION.findall(text))):
            assert name in known, f"{heading}: no section “{name}” in chapter {number}"
            found += 1
        show = re.search(r"\*\*Show:\*\*(.+?)(?:\n\n)", text, re.S).group(1)
        for name in map(" ".join, map(str.split, SECTION.findall(show))):
            assert known[name] not in ("skip", "notes"), \
                f"{heading}: “{name}” is to be shown but is skipped on chapter {number}'s slides"
    short = GUIDE.split("## The 45-minute route")[1].split("\n## ")[0]
    for row in re.findall(r"^\| \d+ \| (\d\d) \|(.+)$", short, re.M):
        known = dict(headings(row[0]))
        for name in SECTION.findall(row[1]):
            assert name in known and known[name] not in ("skip", "notes"), (row[0], name)
            found += 1
    assert found >= 40


def test_every_explorer_and_control_the_guide_moves_exists():
    menu = set(widgets.CHAPTERS)
    for label in re.findall(r"\| (\d\d [^|]+?) \|$", GUIDE.split("### Part 1")[0], re.M):
        assert label in menu, label
    built = {}
    for heading, text in parts().items():
        project = re.search(r"\*\*Project\*\*[^*]*?chapter \*\*(.+?)\*\*(.+?)(?:\n\n)", text, re.S)
        assert project, f"{heading}: no explorer to project"
        label, rest = project.groups()
        assert label in menu, f"{heading}: the chapter menu has no “{label}”"
        if label not in built and not label.startswith("07"):  # 07's runs Griffin-Lim: slow
            built[label] = control_labels(widgets.CHAPTERS[label]())
        moved = re.findall(r"\*\*([^*]+)\*\*", rest.split("**Move:**")[1])
        assert moved, f"{heading}: nothing to move"
        for name in moved:
            if name == "Reset":
                continue
            if label in built:
                assert name in built[label], f"{heading}: “{name}” is not a control of {label}"


def test_numbers_read_off_the_explorers_are_what_their_readouts_say():
    chapters = list(widgets.CHAPTERS)
    text = parts()

    def part(n):
        return next(t for h, t in text.items() if h.startswith(f"Part {n} "))

    main = widgets.CHAPTERS[chapters[0]]()
    assert "(n_mels, n_frames) = (128, 313)" in main.readout_text and "(128, 313)" in part(1)
    main.controls["n_fft"].value = 256
    main.controls["n_mels"].value = 256
    empty = re.search(r"(\d+) of 256 mel filters are empty", main.readout_text).group(1)
    assert f"{empty} of 256 mel filters" in part(1)

    sampling = widgets.CHAPTERS[chapters[1]]()
    for tone in (5000, 7000):
        sampling.controls["freq"].value = tone
        heard = re.search(r"You see and hear (\d+) Hz", sampling.readout_text).group(1)
        assert f"{heard} Hz" in part(2)

    stft = widgets.CHAPTERS[chapters[2]]()
    stft.controls["signal"].value = "two tones 60 Hz apart"
    for n_fft in (512, 2048):
        stft.controls["n_fft"].value = n_fft
        spacing = re.search(r"Bin spacing sr / n_fft = ([\d.]+) Hz", stft.readout_text).group(1)
        assert f"bins {spacing} Hz apart" in part(3)

    fb = widgets.CHAPTERS[chapters[3]]()
    assert "5 of 128 mel filters are empty" in fb.readout_text
    fb.controls["n_fft"].value = 1024
    assert "No filter is empty" in fb.readout_text
    fb.reset()
    fb.controls["n_mels"].value = 83
    assert "No filter is empty" in fb.readout_text
    fb.reset()
    fb.controls["norm"].value = "slaney"
    hi, lo = re.search(r"peaks go from ([\d.]+) \(narrow, low\) down to ([\d.]+)",
                       fb.readout_text).groups()
    assert f"peaks from {hi}\ndown to {lo}" in part(4) or f"peaks from {hi} down to {lo}" in part(4)

    db = widgets.CHAPTERS[chapters[4]]()
    db.controls["function"].value = "amplitude_to_db"
    share = re.search(r"\(([\d.]+) %\) were raised", db.readout_text).group(1)
    assert "Mismatch: amplitude_to_db on a POWER spectrogram squares it again" in db.readout_text
    assert f"{share} %" in part(5).replace("\n", " ")

    baseline = widgets.CHAPTERS[chapters[6]]()
    assert "(n_mels, n_frames) = (128, 626)" in baseline.readout_text and "(128, 626)" in part(7)


@pytest.mark.parametrize("number, pattern, part", [
    ("00", r"frames, centred:\s+(\d+)", 1),
    ("00", r"frames, uncentred: (\d+)", 1),
    ("02", r"rectangular: 10 bins from the tone\s+(-[\d.]+) dB", 3),
    ("02", r"hann\s+: 10 bins from the tone\s+(-[\d.]+) dB", 3),
    ("02", r"the bin = (\d+)", 3),
    ("02", r"the frame count = (\d+)", 3),
    ("03", r"200 Hz: 12 semitones, (\d+) mel \(HTK\)", 4),
    ("03", r"2000 Hz: 12 semitones, (\d+) mel \(HTK\)", 4),
    ("03", r"first n_mels with an empty filter: (\d+)", 4),
    ("04", r"max / median = ([\d.e+]+)", 5),
    ("04", r"the loudest 1% of cells hold (\d+)%", 5),
    ("04", r"the wrong dB value = (-\d+)", 5),
    ("05", r"dataset: \|quiet - loud\| after scaling: median ([\d.]+)", 6),
    ("05", r"\n\s+3  3,3,3,1\s+(-[\d.]+)", 6),
    ("06", r"the number of frames = (\d+)", 7),
    ("06", r"Slaney mel scale\s+(\d+)", 7),
    ("06", r"Slaney area norm\s+(\d+)", 7),
    ("06", r"power=2, amplitude dB\s+(\d+)", 7),
    ("06", r"periodic Hamming\s+([\d.]+)", 7),
    ("07", r"every phase set to 0\s+log-spectral distance to the original: ([\d.]+) dB", 8),
    ("07", r"Griffin-Lim, 32 iterations\s+log-spectral distance to the original: ([\d.]+) dB", 8),
    ("07", r"vowel: within 1 dB of 256 mels from (\d+) mels on", 8),
    ("07", r"At 128 mels \(the baseline\): ([\d.]+) dB above 256 mels", 8),
])
def test_numbers_quoted_from_a_chapter_are_in_its_stored_outputs(number, pattern, part):
    match = re.search(pattern, stored_text(number))
    assert match, f"chapter {number} no longer prints {pattern!r}"
    value = match.group(1).replace("-", "−")  # the guide writes a minus sign
    text = next(t for h, t in parts().items() if h.startswith(f"Part {part} "))
    flat = " ".join(text.split())
    assert value in flat or match.group(1) in flat, \
        f"the guide's part {part} does not quote {value} (chapter {number} prints it)"


def test_the_site_has_the_guide_as_a_page_linked_from_the_index(tmp_path):
    spec = importlib.util.spec_from_file_location("build_site", ROOT / "scripts" / "build_site.py")
    build_site = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_site)
    build_site.build(tmp_path, [ROOT / "notebooks" / "00_start_here.ipynb"])
    page = (tmp_path / "teaching.html").read_text(encoding="utf-8")
    assert "<h1" in page and "Teaching with this collection" in page
    assert page.count("<table") >= 3 and "Part 8 · 07 Listening" in html.unescape(page)
    assert 'href="teaching.html"' in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "../shared" not in GUIDE and "shared/" not in GUIDE  # the product never reads it
    assert not re.search(r'<(script|link|img|audio|source|iframe)[^>]+(src|href)="(https?:)?//', page)
