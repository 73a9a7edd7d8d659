// The benchmark reads a server's CPU and memory from /proc, over its whole process tree.

import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuSeconds, processTree, rssMiB } from '../../bench/runner/process-stats.ts';

describe.runIf(process.platform === 'linux')('process stats', () => {
  it('counts a process and its descendants, their CPU and their memory', async () => {
    // A shell that starts a child of its own: the tree has (at least) three levels.
    const shell = spawn('sh', ['-c', 'sleep 5 & wait'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const tree = processTree(process.pid);
      expect(tree[0]).toBe(process.pid);
      expect(tree).toContain(shell.pid);
      expect(processTree(shell.pid!).length).toBeGreaterThanOrEqual(2);
      expect(rssMiB(tree)).toBeGreaterThan(rssMiB([shell.pid!]));
      expect(cpuSeconds([process.pid])).toBeGreaterThan(0);
    } finally {
      shell.kill('SIGKILL');
    }
  });
});
