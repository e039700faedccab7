"""nbconvert preprocessor used by `workbook run`.

tslab reports a failing cell with an EMPTY error message: the message and stack only reach the cell's stderr
stream. nbconvert writes nothing when a cell fails, so that stream would be lost. This subclass saves the
partially executed notebook (outputs up to and including the failing cell) to $WORKBOOK_PARTIAL before
re-raising, so the runner can report the real error.
"""
import os

import nbformat
from nbclient.exceptions import CellExecutionError
from nbconvert.preprocessors import ExecutePreprocessor


class WorkbookExecutePreprocessor(ExecutePreprocessor):
    def preprocess_cell(self, cell, resources, index):
        try:
            return super().preprocess_cell(cell, resources, index)
        except (CellExecutionError, Exception):
            self._save_partial(index)
            raise

    def _save_partial(self, index):
        path = os.environ.get("WORKBOOK_PARTIAL")
        if not path or self.nb is None:
            return
        self.nb.metadata.setdefault("workbook", {})["failed_cell"] = index
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            nbformat.write(self.nb, f)
        os.replace(tmp, path)
