/**
 * Tiny stand-ins for the papers' datasets, written with sharp in exactly the layouts lib/data/datasets/layouts.ts
 * reads (the real datasets are not on this machine). Every image is a flat colour JPEG (quality 95, 4:4:4 chroma, so
 * it decodes to its colour within ±3), alternately landscape and portrait, with its colour, size and class recorded,
 * so a test can check that each decoded image is the file it claims to be.
 *
 *   mini-imagenet  'class-folders': <dataDir>/mini-imagenet/{train,val,test}/<wnid>/<wnid>_<k>.JPEG (disjoint classes per
 *                  split, as in the real few-shot split); 'csv': <dataDir>/mini-imagenet/images/*.jpg + {train,val,test}.csv
 *   voc2012        'VOCdevkit' (as the tar unpacks): <dataDir>/VOCdevkit/VOC2012/{JPEGImages,ImageSets}; 'VOC2012':
 *                  <dataDir>/VOC2012/{JPEGImages,ImageSets}; 'bare': <dataDir>/{JPEGImages,ImageSets}.
 *                  imageSets 'Main' (with a per-class aeroplane_train.txt beside train.txt) or 'Segmentation';
 *                  one extra image in JPEGImages that no split lists.
 *   flickr8k       <dataDir>/Flickr8k/Flicker8k_Dataset/*.jpg + Flickr_8k.{train,dev,test}Images.txt in Flickr8k/ or
 *                  Flickr8k/Flickr8k_text/ (textDir).
 * `atDataDir: true` puts the dataset directly in <dataDir> instead of its subfolder (not for VOC's 'bare', which is
 * always there). Used by test/unit/datasets.test.ts and the paper-profile smoke tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { DatasetName, DatasetSplit } from '../../lib/data/index.js';

export interface StandInOptions {
  /** Images per split (default 4). */
  readonly perSplit?: number;
  /** Longer side of each image in pixels (default 40); the shorter side is 3/4 of it. */
  readonly size?: number;
  /** Mini-ImageNet: classes per split (default 2). */
  readonly classes?: number;
  /** Layout variant (see the header); default the first listed for the dataset. */
  readonly variant?: 'class-folders' | 'csv' | 'VOCdevkit' | 'VOC2012' | 'bare';
  readonly imageSets?: 'Main' | 'Segmentation';
  readonly textDir?: 'root' | 'Flickr8k_text';
  readonly atDataDir?: boolean;
}

export interface StandInImage {
  /** Path relative to the dataset root. */
  readonly file: string;
  readonly rgb: readonly [number, number, number];
  readonly width: number;
  readonly height: number;
  /** Mini-ImageNet: the class (wnid). */
  readonly label?: string;
}

export interface StandIn {
  readonly dataDir: string;
  /** The folder the loader's files are relative to. */
  readonly root: string;
  readonly splits: Partial<Record<DatasetSplit, readonly StandInImage[]>>;
}

let colourCounter = 0;
/** Distinct, well-separated flat colours. */
function nextColour(): [number, number, number] {
  const k = colourCounter++;
  return [(40 + 67 * k) % 216 + 20, (90 + 131 * k) % 216 + 20, (150 + 29 * k) % 216 + 20];
}

/** A flat-colour JPEG, width×height. */
export async function flatJpeg(rgb: readonly [number, number, number], width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer();
}

async function writeImage(path: string, k: number, size: number, label?: string, file?: string): Promise<StandInImage> {
  const rgb = nextColour();
  const short = Math.max(1, Math.round((size * 3) / 4));
  const [width, height] = k % 2 === 0 ? [size, short] : [short, size];
  writeFileSync(path, await flatJpeg(rgb, width, height));
  return { file: file ?? path, rgb, width, height, ...(label ? { label } : {}) };
}

const MINI_DIR: Record<DatasetSplit, string> = { train: 'train', validation: 'val', test: 'test' };

/** Writes a stand-in of `dataset` under `dataDir`; returns what it wrote. */
export async function buildStandIn(dataset: DatasetName, dataDir: string, options: StandInOptions = {}): Promise<StandIn> {
  const perSplit = options.perSplit ?? 4;
  const size = options.size ?? 40;
  const splits: Partial<Record<DatasetSplit, StandInImage[]>> = {};
  if (dataset === 'mini-imagenet') {
    const root = options.atDataDir ? dataDir : join(dataDir, 'mini-imagenet');
    const nClasses = options.classes ?? 2;
    const csv = options.variant === 'csv';
    if (csv) mkdirSync(join(root, 'images'), { recursive: true });
    let wnid = 1;
    for (const split of ['train', 'validation', 'test'] as const) {
      const classes = Array.from({ length: nClasses }, () => `n0${String(wnid++).padStart(7, '0')}`);
      const list: StandInImage[] = [];
      for (let k = 0; k < perSplit; k++) {
        const c = classes[k % nClasses];
        if (csv) {
          const name = `${c}${String(k + 1).padStart(8, '0')}.jpg`;
          list.push(await writeImage(join(root, 'images', name), k, size, c, `images/${name}`));
        } else {
          const dir = join(root, MINI_DIR[split], c);
          mkdirSync(dir, { recursive: true });
          const name = `${c}_${k}.JPEG`;
          list.push(await writeImage(join(dir, name), k, size, c, `${MINI_DIR[split]}/${c}/${name}`));
        }
      }
      if (csv) {
        writeFileSync(join(root, `${MINI_DIR[split]}.csv`),
          ['filename,label', ...list.map((im) => `${im.file.slice('images/'.length)},${im.label}`)].join('\n') + '\n');
      }
      splits[split] = list;
    }
    return { dataDir, root, splits };
  }
  if (dataset === 'voc2012') {
    const variant = options.variant ?? 'VOCdevkit';
    const root = variant === 'bare' ? dataDir
      : variant === 'VOC2012' ? join(dataDir, 'VOC2012') : join(dataDir, 'VOCdevkit', 'VOC2012');
    const sets = join(root, 'ImageSets', options.imageSets ?? 'Main');
    mkdirSync(join(root, 'JPEGImages'), { recursive: true });
    mkdirSync(sets, { recursive: true });
    let id = 1;
    for (const split of ['train', 'validation'] as const) {
      const list: StandInImage[] = [];
      for (let k = 0; k < perSplit; k++) {
        const name = `2008_${String(id++).padStart(6, '0')}`;
        list.push(await writeImage(join(root, 'JPEGImages', `${name}.jpg`), k, size, undefined, `JPEGImages/${name}.jpg`));
      }
      const ids = list.map((im) => im.file.slice('JPEGImages/'.length, -'.jpg'.length));
      writeFileSync(join(sets, split === 'train' ? 'train.txt' : 'val.txt'), ids.join('\n') + '\n');
      if (split === 'train' && (options.imageSets ?? 'Main') === 'Main') {
        writeFileSync(join(sets, 'aeroplane_train.txt'), ids.map((i, k) => `${i} ${k % 2 ? ' 1' : '-1'}`).join('\n') + '\n');
      }
      splits[split] = list;
    }
    await writeImage(join(root, 'JPEGImages', '2012_999999.jpg'), 0, size); // in no split
    return { dataDir, root, splits };
  }
  const root = options.atDataDir ? dataDir : join(dataDir, 'Flickr8k');
  const textDir = options.textDir === 'Flickr8k_text' ? join(root, 'Flickr8k_text') : root;
  mkdirSync(join(root, 'Flicker8k_Dataset'), { recursive: true });
  mkdirSync(textDir, { recursive: true });
  let id = 1000268201;
  const files: Record<DatasetSplit, string> = {
    train: 'Flickr_8k.trainImages.txt', validation: 'Flickr_8k.devImages.txt', test: 'Flickr_8k.testImages.txt',
  };
  for (const split of ['train', 'validation', 'test'] as const) {
    const list: StandInImage[] = [];
    for (let k = 0; k < perSplit; k++) {
      const name = `${id++}_${(0x693b08cb0e + k).toString(16)}.jpg`;
      list.push(await writeImage(join(root, 'Flicker8k_Dataset', name), k, size, undefined, `Flicker8k_Dataset/${name}`));
    }
    writeFileSync(join(textDir, files[split]), list.map((im) => im.file.slice('Flicker8k_Dataset/'.length)).join('\n') + '\n');
    splits[split] = list;
  }
  return { dataDir, root, splits };
}
