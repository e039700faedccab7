/** What `workbook doctor` reports about the data sets: the built-in ones, then the papers' datasets on disk. */
import { fashionMnistStatus, mnistStatus } from './mnist.js';
import { photoSetStatus } from './photos.js';
import type { DataCheck } from './types.js';
import { DATASET_NAMES, datasetStatus } from './datasets/index.js';

export function dataStatus(): DataCheck[] {
  // The papers' own datasets (optional: only the paper profile reads them) come last.
  return [mnistStatus(), fashionMnistStatus(), photoSetStatus(), ...DATASET_NAMES.map((d) => datasetStatus(d))];
}
