import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startProgress } from './progress.js';

test('without a terminal, progress is plain lines: at each step and once at the end', () => {
  const lines: string[] = [];
  const p = startProgress({ write: (s) => lines.push(s), isTTY: false }, 'reading', 8, {
    unit: 'MiB',
    lineEvery: 0.25,
  });
  for (const v of [0, 1, 2, 3, 4, 6, 8, 8, 8]) p.update(v, { rate: 'x' });
  p.stop();
  assert.deepEqual(lines, [
    'reading 0/8 MiB | rate x\n',
    'reading 2/8 MiB | rate x\n',
    'reading 4/8 MiB | rate x\n',
    'reading 6/8 MiB | rate x\n',
    'reading 8/8 MiB | rate x\n',
  ]);
});

test('epoch progress writes every update and the pending one on stop', () => {
  const lines: string[] = [];
  const p = startProgress({ write: (s) => lines.push(s), isTTY: false }, 'fit', 3, { unit: 'epochs' });
  p.update(1, { loss: '0.5' });
  p.update(2);
  p.stop();
  assert.deepEqual(lines, ['fit 1/3 epochs | loss 0.5\n', 'fit 2/3 epochs\n']);
});
