"""nbconvert preprocessor used by `workbook run`.

tslab reports a failing cell with an EMPTY error message: the message and stack only reach the cell's stderr
stream. nbconvert writes nothing when a cell fails, so that stream would be lost. This subclass saves the
partially executed notebook (outputs up to and including the failing cell) to $WORKBOOK_PARTIAL before
re-raising, so the runner can report the real error.
"""
import os
import time

import nbformat
from nbclient.exceptions import CellExecutionError
from nbconvert.preprocessors import ExecutePreprocessor


class WorkbookExecutePreprocessor(ExecutePreprocessor):
    """Also enforces the whole-notebook limit ($WORKBOOK_DEADLINE, epoch seconds): each cell may run for
    min(its own limit, the time left), so a late cell times out inside nbclient, which then shuts the kernel down."""

    def preprocess_cell(self, cell, resources, index):
        if not hasattr(self, "_cell_limit"):
            self._cell_limit = self.timeout
        deadline = os.environ.get("WORKBOOK_DEADLINE")
        if deadline and cell.cell_type == "code":
            left = float(deadline) - time.time()
            if left <= 1:
                self._save_partial(index, "the whole-notebook time limit was reached before this cell started")
                raise TimeoutError("whole-notebook time limit reached")
            self.timeout = int(min(self._cell_limit or left, left))
        try:
            return super().preprocess_cell(cell, resources, index)
        except CellExecutionError:
            self._save_partial(index, None)
            raise
        except Exception as err:  # a time-out or a dead kernel: no cell output says why
            self._save_partial(index, f"{type(err).__name__}: {err}")
            raise

    def _save_partial(self, index, reason):
        path = os.environ.get("WORKBOOK_PARTIAL")
        if not path or self.nb is None:
            return
        meta = self.nb.metadata.setdefault("workbook", {})
        meta["failed_cell"] = index
        if reason:
            meta["failed_reason"] = reason[:4000]
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            nbformat.write(self.nb, f)
        os.replace(tmp, path)
