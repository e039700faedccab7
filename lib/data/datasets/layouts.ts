/**
 * Where the papers' datasets live on the user's disk, and which images (and labels) each split holds.
 *
 * The data folder is the option `dataDir`, else the environment variable SEMCOM_DATA_DIR (set by
 * `workbook run --data-dir PATH`). Each dataset is looked for in its own subfolder of it, then in the folder itself:
 *
 *   Mini-ImageNet  <dataDir>/mini-imagenet, or <dataDir>, holding either
 *                  (a) class folders  <root>/{train,val,test}/<wnid>/*.JPEG|*.jpg   (labels: the wnid folders), or
 *                  (b) split CSVs     <root>/images/*.jpg + <root>/{train,val,test}.csv, header `filename,label`
 *                      (the Ravi & Larochelle 2017 split files; labels: the `label` column)
 *   PASCAL VOC 2012  <dataDir>/VOC2012, <dataDir>/VOCdevkit, or <dataDir>; inside it <root>/VOC2012/JPEGImages/*.jpg,
 *                  <root>/VOCdevkit/VOC2012/JPEGImages/*.jpg or <root>/JPEGImages/*.jpg (root = the VOC2012 folder),
 *                  with ImageSets/Main/{train,val}.txt (image ids, one per line; ImageSets/Segmentation when Main is
 *                  missing). VOC 2012's test images and annotations are not public: split 'test' is refused.
 *   Flickr8k       <dataDir>/Flickr8k, or <dataDir>: <root>/Flicker8k_Dataset/*.jpg (sic, the official spelling) with
 *                  Flickr_8k.{train,dev,test}Images.txt in <root> or <root>/Flickr8k_text/
 *
 * Everything here is synchronous file-system listing (no decoding): `workbook doctor` uses it to count the splits.
 * File lists are sorted by their path relative to the dataset root (code-unit order, locale-independent).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export type DatasetName = 'mini-imagenet' | 'voc2012' | 'flickr8k';
export type DatasetSplit = 'train' | 'validation' | 'test';

export const DATASET_NAMES: readonly DatasetName[] = ['mini-imagenet', 'voc2012', 'flickr8k'];
export const DATASET_SPLITS: readonly DatasetSplit[] = ['train', 'validation', 'test'];
export const DATA_DIR_ENV = 'SEMCOM_DATA_DIR';

/** Human-readable name and the layout each dataset must have (used in every error message and in the docs). */
export const DATASET_LAYOUTS: Readonly<Record<DatasetName, { readonly title: string; readonly layout: string }>> = {
  'mini-imagenet': {
    title: 'Mini-ImageNet',
    layout: 'either (a) class folders <root>/{train,val,test}/<wnid>/*.JPEG|*.jpg or (b) <root>/images/*.jpg + '
      + '<root>/{train,val,test}.csv with header "filename,label"; <root> = <dataDir>/mini-imagenet or <dataDir>',
  },
  voc2012: {
    title: 'PASCAL VOC 2012',
    layout: '<root>/VOC2012/JPEGImages/*.jpg (or <root>/VOCdevkit/VOC2012/..., or <root> = the VOC2012 folder) + '
      + 'ImageSets/Main/{train,val}.txt (image ids, one per line; ImageSets/Segmentation if Main is missing); '
      + '<root> = <dataDir>/VOC2012, <dataDir>/VOCdevkit or <dataDir>',
  },
  flickr8k: {
    title: 'Flickr8k',
    layout: '<root>/Flicker8k_Dataset/*.jpg (sic) + Flickr_8k.{train,dev,test}Images.txt in <root> or '
      + '<root>/Flickr8k_text/; <root> = <dataDir>/Flickr8k or <dataDir>',
  },
};

const SUBFOLDERS: Readonly<Record<DatasetName, readonly string[]>> = {
  'mini-imagenet': ['mini-imagenet'],
  voc2012: ['VOC2012', 'VOCdevkit'],
  flickr8k: ['Flickr8k'],
};

/** The images of one split, in sorted order, with class labels where the layout has them. */
export interface SplitListing {
  /** Paths relative to the dataset root, sorted. */
  readonly files: readonly string[];
  readonly labels?: Uint16Array;
  readonly classes?: readonly string[];
  /** What listed the split (a folder or a split file), for messages. */
  readonly source: string;
}

export interface ResolvedDataset {
  readonly dataset: DatasetName;
  /** The folder that `files` are relative to. */
  readonly root: string;
  /** Which layout variant was found, e.g. "class folders". */
  readonly variant: string;
  /** The splits this layout has. */
  readonly splits: readonly DatasetSplit[];
  list(split: DatasetSplit): SplitListing;
}

/** The data folder: `dataDir`, else $SEMCOM_DATA_DIR; a clear error when neither is set. */
export function dataDirFor(dataset: DatasetName, dataDir?: string): string {
  const dir = dataDir ?? process.env[DATA_DIR_ENV];
  if (dir === undefined || dir === '') {
    const { title, layout } = DATASET_LAYOUTS[dataset];
    throw new Error(`${title}: no data folder given. Pass the option dataDir, set ${DATA_DIR_ENV}, or run `
      + `\`workbook run --data-dir PATH\`. Expected layout: ${layout}`);
  }
  return resolve(dir);
}

const isDir = (p: string): boolean => {
  try { return statSync(p).isDirectory(); } catch { return false; }
};
const isFile = (p: string): boolean => {
  try { return statSync(p).isFile(); } catch { return false; }
};
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const unique = (xs: string[]): string[] => [...new Set(xs)];

/** "found in DIR: a/, b.txt, …" or "found: none of … exists", for layout errors. */
function foundIn(candidates: readonly string[]): string {
  const dir = candidates.find(isDir);
  if (!dir) return `found: none of ${candidates.join(', ')} exists`;
  const names = readdirSync(dir, { withFileTypes: true })
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name)).sort(byCodeUnit);
  const shown = names.slice(0, 12).join(', ') + (names.length > 12 ? `, … (${names.length} entries)` : '');
  return `found in ${dir}: ${names.length === 0 ? '(empty)' : shown}`;
}

function layoutError(dataset: DatasetName, problem: string, candidates: readonly string[]): Error {
  const { title, layout } = DATASET_LAYOUTS[dataset];
  return new Error(`${title}: ${problem}. Expected layout: ${layout}; ${foundIn(candidates)}`);
}

/** Reads a split file's lines (trimmed, blank lines dropped); BOM and CRLF tolerated. */
function readLines(path: string): string[] {
  return readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
}

/** Image names in `dir` (one readdir), as a Set for membership checks. */
function namesIn(dir: string): Set<string> {
  return new Set(readdirSync(dir));
}

/** Refuses an empty split or names missing from the image folder, naming the split file and the first ids. */
function checkListed(dataset: DatasetName, source: string, ids: readonly string[], present: Set<string>,
  nameOf: (id: string) => string, imageDir: string): void {
  const { title } = DATASET_LAYOUTS[dataset];
  if (ids.length === 0) throw new Error(`${title}: the split file ${source} lists no images`);
  const missing = ids.filter((id) => !present.has(nameOf(id)));
  if (missing.length > 0) {
    throw new Error(`${title}: ${missing.length} of the ${ids.length} images listed in ${source} are missing from `
      + `${imageDir}; first missing: ${missing.slice(0, 5).join(', ')}`);
  }
  const seen = new Set<string>();
  const dup = ids.find((id) => (seen.has(id) ? true : (seen.add(id), false)));
  if (dup !== undefined) throw new Error(`${title}: ${source} lists ${dup} twice`);
}

const IMAGE_EXT = /\.(jpe?g)$/i;

/** Labels: index of each file's class name in the sorted class list. */
function labelled(files: string[], classOf: string[], source: string): SplitListing {
  const classes = unique(classOf).sort(byCodeUnit);
  if (classes.length > 65535) throw new Error(`${source}: ${classes.length} classes exceed the 65535 a Uint16 label holds`);
  const index = new Map(classes.map((c, i) => [c, i]));
  const order = files.map((_, i) => i).sort((a, b) => byCodeUnit(files[a], files[b]));
  return {
    files: order.map((i) => files[i]),
    labels: Uint16Array.from(order, (i) => index.get(classOf[i]) ?? 0),
    classes,
    source,
  };
}

const MINI_SPLIT: Record<DatasetSplit, string> = { train: 'train', validation: 'val', test: 'test' };

function miniImagenet(base: string): ResolvedDataset {
  const candidates = unique([join(base, 'mini-imagenet'), base]);
  for (const root of candidates) {
    // The split CSVs first: a CSV copy may also keep class folders beside images/.
    if (isDir(join(root, 'images')) && isFile(join(root, 'train.csv'))) {
      let present: Set<string> | null = null;
      return {
        dataset: 'mini-imagenet', root, variant: 'split CSVs', splits: DATASET_SPLITS,
        list(split) {
          const csv = join(root, `${MINI_SPLIT[split]}.csv`);
          if (!isFile(csv)) throw layoutError('mini-imagenet', `the split file ${csv} is missing`, [root]);
          const lines = readLines(csv);
          const header = (lines[0] ?? '').split(',').map((s) => s.trim());
          if (header.length !== 2 || header[0] !== 'filename' || header[1] !== 'label') {
            throw layoutError('mini-imagenet', `${csv} must start with the header "filename,label", `
              + `got ${JSON.stringify(lines[0] ?? '')}`, [root]);
          }
          const rows = lines.slice(1).map((l, i) => {
            const cells = l.split(',').map((s) => s.trim());
            if (cells.length !== 2 || cells[0] === '' || cells[1] === '') {
              throw new Error(`Mini-ImageNet: ${csv} line ${i + 2} must be "filename,label", got ${JSON.stringify(l)}`);
            }
            return cells;
          });
          present ??= namesIn(join(root, 'images'));
          checkListed('mini-imagenet', csv, rows.map((r) => r[0]), present, (id) => id, join(root, 'images'));
          return labelled(rows.map((r) => `images/${r[0]}`), rows.map((r) => r[1]), csv);
        },
      };
    }
    if (isDir(join(root, 'train'))) {
      return {
        dataset: 'mini-imagenet', root, variant: 'class folders', splits: DATASET_SPLITS,
        list(split) {
          const dir = join(root, MINI_SPLIT[split]);
          if (!isDir(dir)) throw layoutError('mini-imagenet', `the ${split} split folder ${dir} is missing`, [root]);
          const classDirs = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
          if (classDirs.length === 0) {
            throw layoutError('mini-imagenet', `${dir} has no class folders (<wnid>/*.JPEG)`, [dir]);
          }
          const files: string[] = [];
          const classOf: string[] = [];
          for (const c of classDirs) {
            for (const f of readdirSync(join(dir, c))) {
              if (IMAGE_EXT.test(f)) { files.push(`${MINI_SPLIT[split]}/${c}/${f}`); classOf.push(c); }
            }
          }
          if (files.length === 0) throw new Error(`Mini-ImageNet: the ${split} split folder ${dir} holds no *.JPEG|*.jpg images`);
          return labelled(files, classOf, dir);
        },
      };
    }
  }
  throw layoutError('mini-imagenet', `no Mini-ImageNet layout under ${base}`, candidates);
}

function voc2012(base: string): ResolvedDataset {
  const roots = unique([...SUBFOLDERS.voc2012.map((s) => join(base, s)), base]);
  const vocDirs = unique(roots.flatMap((r) => [join(r, 'VOC2012'), join(r, 'VOCdevkit', 'VOC2012'), r]));
  const root = vocDirs.find((d) => isDir(join(d, 'JPEGImages')));
  if (!root) throw layoutError('voc2012', `no JPEGImages folder under ${base}`, roots);
  const sets = ['Main', 'Segmentation'].map((s) => join(root, 'ImageSets', s)).find((d) => isFile(join(d, 'train.txt')));
  if (!sets) {
    throw layoutError('voc2012', `found ${join(root, 'JPEGImages')} but neither ImageSets/Main/train.txt nor `
      + 'ImageSets/Segmentation/train.txt', [join(root, 'ImageSets'), root]);
  }
  let present: Set<string> | null = null;
  return {
    dataset: 'voc2012', root, variant: `JPEGImages + ImageSets/${sets.endsWith('Main') ? 'Main' : 'Segmentation'}`,
    splits: ['train', 'validation'],
    list(split) {
      if (split === 'test') {
        throw new RangeError('split: PASCAL VOC 2012 has no public test set (its test images\' annotations are held by '
          + 'the evaluation server); use split "train" or "validation" (ImageSets/*/val.txt)');
      }
      const file = join(sets, `${split === 'train' ? 'train' : 'val'}.txt`);
      if (!isFile(file)) throw layoutError('voc2012', `the split file ${file} is missing`, [sets]);
      const ids = readLines(file).map((l) => l.split(/\s+/)[0]);
      present ??= namesIn(join(root, 'JPEGImages'));
      checkListed('voc2012', file, ids, present, (id) => `${id}.jpg`, join(root, 'JPEGImages'));
      return { files: ids.map((id) => `JPEGImages/${id}.jpg`).sort(byCodeUnit), source: file };
    },
  };
}

const FLICKR_FILE: Record<DatasetSplit, string> = {
  train: 'Flickr_8k.trainImages.txt', validation: 'Flickr_8k.devImages.txt', test: 'Flickr_8k.testImages.txt',
};

function flickr8k(base: string): ResolvedDataset {
  const roots = unique([join(base, 'Flickr8k'), base]);
  const root = roots.find((r) => isDir(join(r, 'Flicker8k_Dataset')));
  if (!root) throw layoutError('flickr8k', `no Flicker8k_Dataset folder under ${base}`, roots);
  const textDir = [root, join(root, 'Flickr8k_text')].find((d) => isFile(join(d, FLICKR_FILE.train)));
  if (!textDir) {
    throw layoutError('flickr8k', `found ${join(root, 'Flicker8k_Dataset')} but no ${FLICKR_FILE.train} in ${root} `
      + 'or its Flickr8k_text/', [join(root, 'Flickr8k_text'), root]);
  }
  let present: Set<string> | null = null;
  return {
    dataset: 'flickr8k', root, variant: `Flicker8k_Dataset + ${relative(root, textDir) || '.'}/Flickr_8k.*Images.txt`,
    splits: DATASET_SPLITS,
    list(split) {
      const file = join(textDir, FLICKR_FILE[split]);
      if (!isFile(file)) throw layoutError('flickr8k', `the split file ${file} is missing`, [textDir]);
      const names = readLines(file);
      present ??= namesIn(join(root, 'Flicker8k_Dataset'));
      checkListed('flickr8k', file, names, present, (n) => n, join(root, 'Flicker8k_Dataset'));
      return { files: names.map((n) => `Flicker8k_Dataset/${n}`).sort(byCodeUnit), source: file };
    },
  };
}

/** Finds the dataset under the data folder and its layout; throws naming the expected layout and what was found. */
export function resolveDataset(dataset: DatasetName, dataDir?: string): ResolvedDataset {
  const base = dataDirFor(dataset, dataDir);
  if (!existsSync(base)) {
    throw new Error(`${DATASET_LAYOUTS[dataset].title}: the data folder ${base} does not exist. Expected layout: `
      + DATASET_LAYOUTS[dataset].layout);
  }
  switch (dataset) {
    case 'mini-imagenet': return miniImagenet(base);
    case 'voc2012': return voc2012(base);
    case 'flickr8k': return flickr8k(base);
  }
}
