"""nbconvert preprocessor used by `workbook run`.

tslab reports a failing cell with an EMPTY error message: the message and stack only reach the cell's stderr
stream. nbconvert writes nothing when a cell fails, so that stream would be lost. This subclass saves the
partially executed notebook (outputs up to and including the failing cell) to $WORKBOOK_PARTIAL before
re-raising, so the runner can report the real error.

With $WORKBOOK_PROGRESS set it also reports progress on stderr, one "[workbook] " line per event: a code cell
starting and finishing (numbered as the author sees them: the injected-parameters cell is not counted) and every
line the kernel prints, as it prints it, so an hour-long run is not silent until it ends.

The runner owns this process: a watchdog thread polls the parent pid, and once the runner is gone (whatever killed
it, SIGKILL included: this process is then re-parented) it SIGKILLs the kernel's process group (the kernel and
anything it started, e.g. sweep workers) and exits at once, so nothing of the run keeps computing or writing.
No external tool (pgrep...) is needed.

Execution counts: nbclient numbers a cell only from an iopub message carrying `execution_count`; tslab sends the
count only in its execute_reply, so every executed cell kept `In [ ]`. The count of the reply is recorded here.
"""
import os
import signal
import sys
import threading
import time

import nbformat
from nbclient.exceptions import CellExecutionError
from nbconvert.preprocessors import ExecutePreprocessor


class WorkbookExecutePreprocessor(ExecutePreprocessor):
    """Also enforces the whole-notebook limit ($WORKBOOK_DEADLINE, epoch seconds): each cell may run for
    min(its own limit, the time left), so a late cell times out inside nbclient, which then shuts the kernel down."""

    def preprocess(self, nb, resources=None, km=None):
        self._start_watchdog()
        if self.on_cell_executed is None:
            self.on_cell_executed = self._keep_execution_count
        return super().preprocess(nb, resources, km)

    @staticmethod
    def _keep_execution_count(cell, cell_index, execute_reply):
        """The kernel's own count from its execute_reply (nbclient calls this for every executed cell)."""
        count = ((execute_reply or {}).get("content") or {}).get("execution_count")
        if cell.get("execution_count") is None and isinstance(count, int) and not isinstance(count, bool):
            cell["execution_count"] = count

    # --- the runner owns us -------------------------------------------------------------------------------------
    def _start_watchdog(self):
        if getattr(self, "_watchdog", None):
            return
        parent = os.getppid()
        try:
            runner = int(os.environ.get("WORKBOOK_RUNNER_PID", "0")) or parent
        except ValueError:
            runner = parent
        period = float(os.environ.get("WORKBOOK_WATCHDOG_SECONDS", "0.5"))
        seen = {}  # the kernel's pid and process group, as soon as it has them

        def runner_gone():
            if os.getppid() != parent:
                return True  # re-parented: the runner has exited
            try:
                os.kill(runner, 0)
            except ProcessLookupError:
                return True
            except PermissionError:
                pass
            return False

        def watch():
            while True:
                self._note_kernel(seen)
                if runner_gone():
                    self._note_kernel(seen)
                    self._kill_kernel(seen)
                    os._exit(137)
                time.sleep(period)

        self._watchdog = threading.Thread(target=watch, name="workbook-watchdog", daemon=True)
        self._watchdog.start()

    def _note_kernel(self, seen):
        try:
            prov = getattr(self.km, "provisioner", None) if getattr(self, "km", None) is not None else None
            pid = getattr(prov, "pid", None) or getattr(getattr(prov, "process", None), "pid", None)
            if pid is None and getattr(self, "km", None) is not None:
                pid = getattr(getattr(self.km, "kernel", None), "pid", None)
            if pid:
                seen["pid"] = pid
                pgid = getattr(prov, "pgid", None)
                if not pgid:
                    try:
                        pgid = os.getpgid(pid)
                    except OSError:
                        pgid = None
                if pgid and pgid != os.getpgid(0):
                    seen["pgid"] = pgid
        except Exception:  # never let the watchdog die of a half-started kernel
            pass

    @staticmethod
    def _kill_kernel(seen):
        if seen.get("pgid"):
            try:
                os.killpg(seen["pgid"], signal.SIGKILL)
            except OSError:
                pass
        if seen.get("pid"):
            try:
                os.kill(seen["pid"], signal.SIGKILL)
            except OSError:
                pass

    def preprocess_cell(self, cell, resources, index):
        if not hasattr(self, "_cell_limit"):
            self._cell_limit = self.timeout
        deadline = os.environ.get("WORKBOOK_DEADLINE")
        whole = self._whole_limit_text()
        cut_by_deadline = False
        if deadline and cell.cell_type == "code":
            left = float(deadline) - time.time()
            if left <= 1:
                self._save_partial(index, f"{whole} was reached before this cell started")
                raise TimeoutError(f"{whole} reached")
            cut_by_deadline = not self._cell_limit or left < self._cell_limit
            self.timeout = max(1, int(min(self._cell_limit or left, left)))
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
            if cut_by_deadline and isinstance(err, TimeoutError):
                # nbclient reports the seconds this cell was given (what was left), not the limit the user set
                self._save_partial(index, f"{whole} was reached while this cell ran (it had {self.timeout} s left)")
            else:
                self._save_partial(index, f"{type(err).__name__}: {err}")
            raise

    @staticmethod
    def _whole_limit_text():
        limit = os.environ.get("WORKBOOK_NOTEBOOK_LIMIT")
        if limit:
            try:
                return f"the whole-notebook time limit of {float(limit):g} s (--timeout)"
            except ValueError:
                pass
        return "the whole-notebook time limit"

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
