/**
 * Codebook — "A Theoretically-Grounded Codebook for Digital Semantic Communications" (docs/papers/codebook.md):
 * the VQ-VAE codec with index-entropy and channel-aware losses, the §III-C analysis (eqs. 15–21), the evaluation
 * over Gray 64-QAM Rayleigh fading, the separate-coding baselines' glue (lib/codecs), the Fig. 2 toy, the
 * notebook's plan, figures and claims. Files: config, losses, model, train, evaluate, analysis, trial (sweep
 * workers), toy, plan, figures, claims.
 */
export * from './config.js';
export * from './losses.js';
export * from './model.js';
export * from './analysis.js';
export * from './train.js';
export * from './evaluate.js';
export * from './trial.js';
export * from './toy.js';
export * from './plan.js';
export * from './figures.js';
export * from './claims.js';
export * from './ladder.js';
