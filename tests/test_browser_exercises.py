"""A learner opening a chapter in JupyterLab does not see an exercise's answer until asking.

Opens notebooks/02_stft.ipynb (a copy) in Debian's chromium through Playwright, without running
it, and for each solution cell checks what is on the screen: neither the solution's code nor its
stored answer (read from the .ipynb, e.g. "the bin = 93.") is visible, not even in the one-line
previews JupyterLab shows for folded cells; clicking the folded input shows the code, and
clicking the folded output then shows the answer.
Reuses the servers and the browser of tests/test_browser.py.
"""

import json

import pytest

from test_browser import (BIN, ROOT, TOKEN, browser, free_port, new_page, screenshot,  # noqa: F401
                          lab_command, start, stop, wait_for_http, workdir)

NOTEBOOK = "02_stft.ipynb"

# The notebook widget's cells; each found cell is scrolled into view and given a data attribute
# so that Playwright can address it.
MARK_CELL_JS = """async (i) => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  await nb.scrollToItem(i, 'start');
  const node = nb.widgets[i].node;
  node.setAttribute('data-test-cell', String(i));
  return true;
}"""


def solutions(path):
    """(index, code, stored output text) of every solution cell, read from the file."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    out = []
    for i, cell in enumerate(cells):
        if "solution" in cell["metadata"].get("tags", []):
            text = "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))
            # The answer is what follows the "✅ Right!" line: its last non-empty line.
            answer = [line.strip() for line in text.splitlines() if line.strip()][-1:]
            code = [line for line in "".join(cell["source"]).splitlines()[1:] if line.strip()]
            out.append((i, code[0].strip() if code else "", answer[0] if answer else ""))
    return out


@pytest.fixture(scope="module")
def lab(workdir):
    nbdir, env, base = workdir
    port = free_port()
    cmd = lab_command(workdir, port, "-ex")
    with open(base / "lab-exercises.log", "w") as log:
        server = start(cmd, nbdir, env, log)
        try:
            wait_for_http(f"http://127.0.0.1:{port}/api/status?token={TOKEN}", server)
            yield port
        finally:
            stop(server)


def test_an_answer_stays_hidden_until_the_learner_opens_it(lab, browser):
    found = solutions(ROOT / "notebooks" / NOTEBOOK)
    assert found, f"{NOTEBOOK} has no solution cell to check"
    context, page = new_page(browser)
    try:
        page.goto(f"http://127.0.0.1:{lab}/lab/tree/{NOTEBOOK}?token={TOKEN}",
                  wait_until="domcontentloaded")
        n_cells = len(json.loads((ROOT / "notebooks" / NOTEBOOK).read_text(encoding="utf-8"))["cells"])
        page.wait_for_function("(n) => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                               " && window.jupyterapp.shell.currentWidget.content"
                               " && window.jupyterapp.shell.currentWidget.content.widgets"
                               " && window.jupyterapp.shell.currentWidget.content.widgets.length"
                               " === n", arg=n_cells)
        page.wait_for_selector(".jp-Notebook .jp-Cell")
        for index, first_code_line, answer in found:
            assert answer and first_code_line, f"solution cell {index}: no code or answer to look for"
            page.evaluate(MARK_CELL_JS, index)
            cell = page.locator(f"[data-test-cell='{index}']")
            cell.wait_for(state="attached")
            # Folded: placeholders are shown, the answer and the code are not.
            assert cell.locator(".jp-OutputPlaceholder").count() == 1
            assert cell.locator(".jp-InputPlaceholder").count() == 1
            assert answer not in cell.inner_text()
            assert page.get_by_text(answer, exact=False).filter(visible=True).count() == 0
            assert first_code_line not in cell.inner_text()
            screenshot(page, f"exercise-{index}-folded")
            # The learner clicks the folded input: the code appears, the answer stays folded.
            cell.locator(".jp-InputPlaceholder").click()
            page.wait_for_function(
                "([i, t]) => document.querySelector(`[data-test-cell='${i}']`).innerText.includes(t)",
                arg=[index, first_code_line])
            assert answer not in cell.inner_text()
            # ... then the folded output: the answer appears.
            cell.locator(".jp-OutputPlaceholder").click()
            page.wait_for_function(
                "([i, t]) => document.querySelector(`[data-test-cell='${i}']`).innerText.includes(t)",
                arg=[index, answer])
            assert page.get_by_text(answer, exact=False).filter(visible=True).count() >= 1
            screenshot(page, f"exercise-{index}-opened")
    finally:
        context.close()
