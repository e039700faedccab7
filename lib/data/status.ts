/** What `workbook doctor` reports about the data sets. */
import { fashionMnistStatus, mnistStatus } from './mnist.js';
import { photoSetStatus } from './photos.js';
import type { DataCheck } from './types.js';

export function dataStatus(): DataCheck[] {
  return [mnistStatus(), fashionMnistStatus(), photoSetStatus()];
}
