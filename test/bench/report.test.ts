// The benchmark's ratios: specstack against the baseline round by round, as the runner pairs them.

import { expect, it } from 'vitest';
import { pairedRatio } from '../../bench/runner/report.ts';

it('takes the median of the rounds’ ratios, so slow rounds move their figures and not the verdict', () => {
  // Rounds 2 and 3 ran while the machine was busy: both servers lost half their rate in them.
  const specstack = [10_000, 5_000, 5_000, 10_000, 10_000];
  const handwritten = [10_000, 5_000, 5_000, 10_000, 10_000].map((rate) => rate * 0.98);
  expect(pairedRatio(specstack, handwritten)).toBeCloseTo(1 / 0.98, 6);
  // Ahead by a ninth in two rounds of three: the ratio of each side's median would say 1 (9 / 9),
  // pairing the fast round of one with the slow round of the other.
  expect(pairedRatio([10, 5, 9], [9, 4.5, 10])).toBeCloseTo(10 / 9, 6);
});
