/**
 * semcom-workbook/data: MNIST, Fashion-MNIST and a photo-patch set built from Debian packages, as plain typed
 * arrays, the papers' own image datasets read from the user's disk (Mini-ImageNet, VOC 2012, Flickr8k), plus
 * deterministic batching and a `doctor` status report.
 */
export type { LabelledImages, Split, DataCheck } from './types.js';
export {
  loadMnist, loadFashionMnist, clearMnistCache, mnistDir, mnistStatus, fashionMnistStatus,
  FASHION_MNIST_DIR, FASHION_MNIST_FIX, FASHION_MNIST_CLASSES, MNIST_COUNTS, MNIST_FIX, type IdxLoadOptions,
} from './mnist.js';
export { parseIdx, readIdxFile, type IdxArray } from './idx.js';
export { batches, subset, epochOrder, type Batch, type BatchesOptions, type Examples, type LabelArray } from './loaders.js';
export {
  buildPhotoSet, loadPhotoPatches, photoSetStatus, PHOTO_SET_FIX,
  type BuildPhotoSetOptions, type PhotoSetSummary, type PhotoPatchSet, type LoadPhotoPatchesOptions,
  type PhotoManifest, type PhotoEntry, type PatchSetEntry, type SplitEntry,
} from './photos.js';
export { cutPatches, splitByPhoto, assembleSplits, photoHash, type DecodedImage, type PatchGrid, type PhotoPatches, type SplitPatches } from './photo-patches.js';
export { decodeWithPil, pilAvailable, PIL_FIX, type PhotoDecoder } from './photo-decode.js';
export { PHOTO_SOURCES, selectPaths, globToRegExp, type PhotoSource } from './photo-sources.js';
export { licenceFor, parseDep5, type LicenceInfo } from './debian.js';
export { dataStatus } from './status.js';
export {
  loadImageDataset, datasetStatus, DATASET_NAMES, DATASET_LAYOUTS, DATA_DIR_ENV, MAX_IMAGE_SIZE,
  type DatasetName, type DatasetSplit, type ImageDatasetOptions, type ImageSet,
} from './datasets/index.js';
export { IMAGE_SOURCES, PAPER_DATASETS, DATASET_SUBSET_SEED, datasetOf, assertOptionalDataset, loadDatasetImages, type ImageSource, type SquareImages } from './image-source.js';
