"""Publishing options of `workbook export` (an nbconvert preprocessor, run after the sanitiser).

lib/workbook/export.ts writes a JSON file and names it in $WORKBOOK_EXPORT_META:

- title, subtitle, authors, citation (Markdown), notes, provenance ([label, value] pairs): the first page
  (lib/workbook/export-meta.ts computes them from docs/papers/<paper>.md and the run's results.json);
- paper: "a4" or "letter" (the page's @page size; the PDF is printed at the same size);
- mathjax: the path of MathJax 3's combined component (npm package `mathjax`, es5/tex-svg-full.js), inlined
  into the page so that it is self-contained: no file:// or network reference, nothing to copy beside it.

The values reach the template as resources.workbook_meta and resources.workbook_mathjax; the template escapes the
text fields and sanitises the citation like any Markdown.
"""
import json
import os
import re

from nbconvert.preprocessors import Preprocessor

PAPERS = ("a4", "letter")


def read_mathjax(path):
    """MathJax's source, safe to place between <script> tags: it may not close the element or open another."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if re.search(r"</?script", text, re.IGNORECASE):
        raise ValueError(f"{path} contains a <script> tag: it cannot be inlined")
    # "<!--" inside a script switches the HTML tokenizer to its escaped state; "<\!--" means the same in JavaScript
    # (the only occurrence is in a regular expression, where \! matches "!").
    return text.replace("<!--", "<\\!--")


class WorkbookPublishPreprocessor(Preprocessor):
    def preprocess(self, nb, resources):
        path = os.environ.get("WORKBOOK_EXPORT_META")
        if not path:
            raise ValueError("WORKBOOK_EXPORT_META is not set: run the export through `workbook export`")
        with open(path, encoding="utf-8") as f:
            meta = json.load(f)
        if meta.get("paper") not in PAPERS:
            raise ValueError(f"paper must be one of {PAPERS}, got {meta.get('paper')!r}")
        resources["workbook_meta"] = meta
        resources["workbook_mathjax"] = read_mathjax(meta["mathjax"])
        if meta.get("title"):
            nb.metadata["title"] = str(meta["title"])
        return nb, resources
