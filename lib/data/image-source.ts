/**
 * Which images a paper's experiment trains and tests on: 'photos' (the photo set built from Debian packages, the
 * quick and full profiles' data) or one of the papers' own datasets read from the user's disk by loadImageDataset
 * (the paper profile: Mini-ImageNet for VSCC, PASCAL VOC 2012 for the codebook paper, Flickr8k for ZEPE Fig. 3(b)).
 * A notebook's `dataset` parameter is an ImageSource; configs store only a DatasetName (absent for the photo set, so
 * the photo-set configs and their cache keys are what they were before datasets existed).
 */
import { assertOneOf } from '../core/index.js';
import { DATASET_NAMES, loadImageDataset, type DatasetName, type ImageSet } from './datasets/index.js';

export type ImageSource = 'photos' | DatasetName;
export const PAPER_DATASETS: readonly DatasetName[] = DATASET_NAMES;
export const IMAGE_SOURCES: readonly ImageSource[] = ['photos', ...PAPER_DATASETS];

/** The dataset behind a source, or undefined for the photo set. Throws on an unknown name. */
export function datasetOf(source: ImageSource): DatasetName | undefined {
  assertOneOf('dataset', source, IMAGE_SOURCES);
  return source === 'photos' ? undefined : source;
}

/** Checks an optional DatasetName field of a config (undefined = the photo set). */
export function assertOptionalDataset(name: string, v: unknown): asserts v is DatasetName | undefined {
  if (v !== undefined) assertOneOf(name, v, PAPER_DATASETS);
}

/**
 * Seed of the subsets drawn from a dataset's split (which `count` images a model trains or is tested on): fixed and
 * independent of the model seeds, so every model of a sweep sees the same images.
 */
export const DATASET_SUBSET_SEED = 2024;

export interface SquareImages {
  /** n × size × size × 3, NHWC, values in [0, 1]. */
  readonly x: Float32Array;
  readonly n: number;
  readonly size: number;
}

/**
 * `count` (default all) images of a dataset's split at size × size (shorter side scaled to `size`, centre crop), read from
 * SEMCOM_DATA_DIR (the `workbook run --data-dir` folder). Progress goes to stderr every 10 %, so a long first
 * decode is visible in a sweep worker's log.
 */
export async function loadDatasetImages(o: { dataset: DatasetName; split: 'train' | 'validation' | 'test'; size: number; count?: number; seed: number }): Promise<SquareImages> {
  assertOneOf('dataset', o.dataset, PAPER_DATASETS);
  let shown = -1;
  const set: ImageSet = await loadImageDataset({
    dataset: o.dataset, split: o.split, size: o.size, ...(o.count === undefined ? {} : { count: o.count }), seed: o.seed,
    onProgress: (done, total) => {
      const tenth = Math.floor((10 * done) / Math.max(1, total));
      if (tenth > shown && total >= 1000) {
        shown = tenth;
        process.stderr.write(`${o.dataset} ${o.split}: ${done}/${total} images decoded\n`);
      }
    },
  });
  return { x: set.x, n: set.n, size: set.size };
}
