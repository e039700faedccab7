"""nbconvert preprocessor used by `workbook run`.

tslab reports a failing cell with an EMPTY error message: the message and stack only reach the cell's stderr
stream. nbconvert writes nothing when a cell fails, so that stream would be lost. This subclass saves the
partially executed notebook (outputs up to and including the failing cell) to $WORKBOOK_PARTIAL before
re-raising, so the runner can report the real error.

With $WORKBOOK_PROGRESS set it also reports progress on stderr, one "[workbook] " line per event: a code cell
starting and finishing (numbered as the author sees them: the injected-parameters cell is not counted) and every
line the kernel prints, as it prints it, so an hour-long run is not silent until it ends.
"""
import os
import sys
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
        label = self._progress_label(cell, index)
        if label:
            first = next((l for l in cell.source.splitlines() if l.strip()), "")
            self._progress(f"{label} started: {first[:100]}")
            started = time.time()
        try:
            out = super().preprocess_cell(cell, resources, index)
            if label:
                self._progress(f"{label} done in {time.time() - started:.1f} s")
            return out
        except CellExecutionError:
            self._save_partial(index, None)
            raise
        except Exception as err:  # a time-out or a dead kernel: no cell output says why
            self._save_partial(index, f"{type(err).__name__}: {err}")
            raise

    def output(self, outs, msg, display_id, cell_index):
        out = super().output(outs, msg, display_id, cell_index)
        if os.environ.get("WORKBOOK_PROGRESS") and msg["msg_type"] == "stream":
            for line in msg["content"].get("text", "").splitlines():
                if line.strip():
                    self._progress(f"  | {line[:300]}")
        return out

    def _progress_label(self, cell, index):
        if not os.environ.get("WORKBOOK_PROGRESS") or cell.cell_type != "code" or self.nb is None:
            return None
        cells = self.nb.cells
        injected = [i for i, c in enumerate(cells) if "injected-parameters" in c.get("metadata", {}).get("tags", [])]
        if index in injected:
            return None
        number = index + 1 - sum(1 for i in injected if i < index)
        return f"cell {number}/{len(cells) - len(injected)}"

    @staticmethod
    def _progress(text):
        sys.stderr.write(f"[workbook] {text}\n")
        sys.stderr.flush()

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
