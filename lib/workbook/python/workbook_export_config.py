"""nbconvert configuration of `workbook export` (passed with --config): outputs are untrusted, see workbook_sanitize;
the first page, MathJax and the page size come from workbook_publish."""
c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)
c.HTMLExporter.preprocessors = [
    "workbook_sanitize.WorkbookSanitizePreprocessor",
    "workbook_publish.WorkbookPublishPreprocessor",
]
c.HTMLExporter.filters = {
    "workbook_html": "workbook_sanitize.sanitize_html",
    "workbook_svg": "workbook_sanitize.sanitize_svg",
}
