import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChildProcessTrainer } from './child-trainer.js';
import type { TrainSpec } from './train-spec.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('an aborted training child that ignores SIGTERM is killed after the grace period', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-child-'));
  const pidFile = join(dir, 'pid');
  process.env.STUBBORN_PID_FILE = pidFile;
  let pid: number | undefined;
  try {
    const trainer = new ChildProcessTrainer(
      new URL('../../../test/learning/fixtures/stubborn-train-child.ts', import.meta.url),
      300,
    );
    const abort = new AbortController();
    const training = trainer.train({} as TrainSpec, () => {}, abort.signal);
    for (let i = 0; i < 600 && !existsSync(pidFile); i++) await sleep(100);
    pid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(alive(pid));
    abort.abort();
    await assert.rejects(training, /retraining aborted/);
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
    assert.equal(alive(pid), false, 'the child still runs 10 s after the abort');
  } finally {
    delete process.env.STUBBORN_PID_FILE;
    if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
