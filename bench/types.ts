/**
 * The contract of every benchmark under bench/: a default export that measures a figure AND its
 * baseline in the same process, so the ratio means something on any machine.
 */
export interface BenchFigure {
  /** What is measured, e.g. "Dynadot list_domain decode, 10,000 domains". */
  figure: string;
  /** What it is compared with, e.g. "fast-xml-parser alone". */
  baselineName: string;
  baseline: number;
  value: number;
  unit: string;
  /** value / baseline (or baseline / value where bigger is better: say so in `target`). */
  ratio: number;
  /** e.g. "≤ 1.5×". */
  target: string;
  met: boolean;
  notes?: string;
}

export interface BenchOptions {
  /** Tiny inputs: used by the test that proves each benchmark runs. */
  tiny: boolean;
}

export type Benchmark = (opts: BenchOptions) => Promise<BenchFigure[]>;
