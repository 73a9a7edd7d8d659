// Ends a run with one plain line, `Tests: N passed, N failed, N skipped`, that any CI can read.

import type { Reporter, TestCase } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  private readonly counts = { passed: 0, failed: 0, skipped: 0 };

  onTestCaseResult(test: TestCase): void {
    const state = test.result().state;
    if (state === 'passed') this.counts.passed += 1;
    else if (state === 'failed') this.counts.failed += 1;
    else this.counts.skipped += 1;
  }

  onTestRunEnd(): void {
    const { passed, failed, skipped } = this.counts;
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
