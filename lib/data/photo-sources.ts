/**
 * Curated photographs shipped inside Debian packages: the stand-in for Mini-ImageNet / VOC-2012 / Flickr8k, which
 * no reachable registry carries. Each entry is an explicit include list (globs without '**', relative to `base`
 * inside the unpacked package), chosen by looking at every candidate: colour photographs only; diagrams, logos,
 * renders, paintings, greyscale images, collages and near-duplicates (stereo partners, consecutive video frames,
 * transformed copies, the same VOC image in several example folders) are left out.
 */
import { assertObject, assertString } from '../core/index.js';

export interface PhotoSource {
  /** Debian package fetched with `apt-get download` and unpacked with `dpkg-deb -x`. */
  readonly package: string;
  /** Folder inside the package that the include globs are relative to. */
  readonly base: string;
  readonly include: readonly string[];
  readonly exclude?: readonly string[];
  /** Provenance beyond the package's copyright file. */
  readonly note?: string;
}

export const PHOTO_SOURCES: readonly PhotoSource[] = [
  {
    package: 'opencv-doc',
    base: 'usr/share/doc/opencv-doc/examples',
    include: [
      'data/aero1.jpg', 'data/aero3.jpg', 'data/aloeL.jpg', 'data/apple.jpg', 'data/baboon.jpg', 'data/board.jpg',
      'data/building.jpg', 'data/butterfly.jpg', 'data/chicky_512.png', 'data/ela_original.jpg', 'data/fruits.jpg',
      'data/graf1.png', 'data/home.jpg', 'data/leuvenA.jpg', 'data/messi5.jpg', 'data/orange.jpg',
      'data/rubberwhale1.png', 'data/smarties.png', 'data/squirrel_cls.jpg',
      'alphamat/input_images/plant.jpg', 'dnn_superres/butterfly.png', 'hfs/data/*.jpg', 'reg/home.png',
      'text/scenetext0?.jpg',
    ],
    note: 'OpenCV sample images (samples/data and contrib samples).',
  },
  {
    package: 'labelme-examples',
    base: 'usr/share/doc/labelme-examples/examples',
    include: [
      'bbox_detection/data_annotated/*.jpg', 'classification/data_annotated/*.jpg', 'tutorial/apc2016_obj3.jpg',
      'video_annotation/data_annotated/00000100.jpg',
    ],
    note: 'labelme examples; the 2011_* images come from PASCAL VOC 2011 (Flickr photographs).',
  },
  {
    package: 'libdlib19.1',
    base: 'usr/share/doc/libdlib19.1/examples',
    include: ['faces/20*.jpg', 'faces/Tom_Cruise_avp_2014_4.jpg', 'mmod_cars_test_image.jpg', 'mmod_cars_test_image2.jpg'],
    note: 'dlib example images; the 20* faces images come from PASCAL VOC.',
  },
  {
    package: 'librust-tiff-dev',
    base: 'usr/share/cargo/registry',
    include: ['tiff-*/tests/benches/kodim0?-lzw.tif'],
    note: 'Kodak Lossless True Color Image Suite images kodim02 and kodim07 (LZW TIFF test files of the tiff crate).',
  },
  {
    package: 'python3-skimage',
    base: 'usr/lib/python3/dist-packages/skimage/data',
    include: ['astronaut.png', 'chelsea.png', 'coffee.png', 'motorcycle_left.png', 'rocket.jpg'],
    note: 'scikit-image sample data; per-image credits in skimage/data/_fetchers.py: astronaut (NASA) and rocket (SpaceX) public domain, chelsea and coffee CC0, motorcycle from the Middlebury 2014 stereo benchmark.',
  },
  {
    package: 'python3-sklearn',
    base: 'usr/lib/python3/dist-packages/sklearn/datasets/images',
    include: ['china.jpg', 'flower.jpg'],
    note: 'scikit-learn sample images (README in that folder: CC BY 2.0 photographs from Flickr).',
  },
  {
    package: 'lomiri-wallpapers-16.04',
    base: 'usr/share/backgrounds',
    include: ['*.jpg'],
    exclude: ['umang_by_Abhishek_Mudgal.jpg'],
    note: 'Ubuntu 16.04 wallpaper contest photographs (per-file CC BY / CC BY-SA licences in the copyright file).',
  },
  {
    package: 'mate-backgrounds',
    base: 'usr/share/backgrounds/mate/nature',
    include: ['*.jpg'],
  },
  {
    package: 'plasma-workspace-wallpapers',
    base: 'usr/share/wallpapers',
    include: [
      // Each wallpaper ships in a dozen sizes: take only the largest.
      'BytheWater/contents/images/2560x1600.jpg', 'ColdRipple/contents/images/2560x1600.jpg',
      'ColorfulCups/contents/images/2560x1600.jpg', 'EveningGlow/contents/images/2560x1600.jpg',
      'FallenLeaf/contents/images/2560x1600.jpg', 'Kite/contents/images/2560x1600.jpg',
      'OneStandsOut/contents/images/2560x1600.jpg', 'Path/contents/images/2560x1600.jpg',
      'summer_1am/contents/images/2560x1600.jpg',
    ],
    note: 'KDE Plasma wallpapers that are photographs (the rest are renders or illustrations).',
  },
];

/** `*` and `?` within one path segment; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  assertString('glob', glob);
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The sorted subset of `paths` (relative to the source's base) that the source includes. */
export function selectPaths(source: PhotoSource, paths: readonly string[]): string[] {
  assertObject('source', source);
  if (!Array.isArray(source.include)) throw new TypeError('source.include must be an array of glob patterns');
  if (!Array.isArray(paths)) throw new TypeError('paths must be an array of strings');
  paths.forEach((p, i) => assertString(`paths[${i}]`, p));
  const inc = source.include.map(globToRegExp);
  const exc = (source.exclude ?? []).map(globToRegExp);
  return paths.filter((p) => inc.some((r) => r.test(p)) && !exc.some((r) => r.test(p))).sort();
}
