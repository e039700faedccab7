/** Plain typed-array datasets (no tfjs): rows are examples, row-major. */

export interface LabelledImages {
  /** n × (height·width·channels), row-major, values in [0, 1]. */
  readonly x: Float32Array;
  readonly y: Uint8Array;
  readonly n: number;
  readonly width: number;
  readonly height: number;
}

export type Split = 'train' | 'test';

/** One line of `workbook doctor`. */
export interface DataCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** Command that fixes it (empty when ok). */
  readonly fix: string;
  /** false: optional data (a warning in `workbook doctor`, not a failure). Default true. */
  readonly required?: boolean;
}
