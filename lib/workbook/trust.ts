/**
 * Notebook trust (Jupyter's signing): a notebook whose outputs were produced here, by `workbook run`, is signed for
 * the local user, so that Jupyter shows its HTML, SVG and Vega-Lite outputs when it is opened ("Trusted").
 *
 * The signature is nbformat's: an HMAC-SHA256 of the notebook's content (outputs included) under the user's secret
 * ($JUPYTER_DATA_DIR or ~/.local/share/jupyter/notebook_secret), stored in that folder's nbsignatures.db, the
 * database the Notebook server checks on opening. It is written by `python3 -m nbformat.sign` (what `jupyter
 * trust` runs; Debian's python3-nbformat ships the module without the `jupyter-trust` script), with the environment
 * every Jupyter process of the workbook gets (toolchain.jupyterEnv), so the server started by `workbook notebook`
 * reads the same database. Any later change to the notebook makes it untrusted again.
 */
import { execa } from 'execa';
import { resolve } from 'node:path';
import { jupyterEnv, requireJupyterPython } from './toolchain.js';

/** Sign (trust) executed notebooks for the local user. Throws with nbformat's message when signing fails. */
export async function trustNotebooks(paths: readonly string[]): Promise<void> {
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) {
    throw new TypeError('paths must be an array of notebook paths');
  }
  if (paths.length === 0) return;
  const py = requireJupyterPython();
  const args = ['-m', 'nbformat.sign', ...paths.map((p) => resolve(p))];
  const res = await execa(py.python, args, { env: jupyterEnv(), reject: false });
  if (res.exitCode !== 0) {
    throw new Error(`signing ${paths.join(', ')} failed (exit ${res.exitCode}): ${String(res.stderr).slice(-1500)}`);
  }
}

/** Whether Jupyter trusts the notebook at `path` (its signature is in the local user's database). */
export async function isTrusted(path: string): Promise<boolean> {
  if (typeof path !== 'string') throw new TypeError('path must be a notebook path');
  const py = requireJupyterPython();
  const code = [
    'import sys, nbformat',
    'from nbformat.sign import NotebookNotary',
    'nb = nbformat.read(sys.argv[1], as_version=4)',
    'print("trusted" if NotebookNotary().check_signature(nb) else "untrusted")',
  ].join('\n');
  const res = await execa(py.python, ['-c', code, resolve(path)], { env: jupyterEnv(), reject: false });
  if (res.exitCode !== 0) {
    throw new Error(`checking the signature of ${path} failed: ${String(res.stderr).slice(-1500)}`);
  }
  return String(res.stdout).trim() === 'trusted';
}
