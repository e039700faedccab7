export { Rng, MAX_SEED, type RngState } from './random.js';
export * from './validate.js';
export { writeFileAtomic, writeJsonAtomic } from './fs.js';
export { projectRoot, cacheDir } from './paths.js';
export {
  secondMoment, symmetricEigen, sqrtPsd, matMulSquare, rowCount, type SymMatrix, type SymmetricEigen,
} from './linalg.js';
