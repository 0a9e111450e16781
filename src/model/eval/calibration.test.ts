import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../rng.js';
import { calibrationReport, fitTemperature, nllAt, softmaxT } from './calibration.js';

test('ECE is the count-weighted gap between accuracy and confidence per bin', () => {
  // Bin [0.6, 0.6667): 2 examples, conf 0.6 each, 1 correct -> gap 0.1; bin of 0.9: 2 examples, both correct -> gap 0.1.
  const r = calibrationReport([0.6, 0.6, 0.9, 0.9], [true, false, true, true]);
  assert.ok(Math.abs(r.ece - 0.1) < 1e-12);
  assert.equal(r.bins.length, 15);
  assert.equal(
    r.bins.reduce((a, b) => a + b.count, 0),
    4,
  );
  assert.equal(calibrationReport([1], [true]).bins[14]?.count, 1);
});

test('temperature scaling recovers the temperature that generated the labels', () => {
  const rng = createRng(11);
  const logits: number[][] = [];
  const truth: number[] = [];
  const trueT = 2;
  for (let i = 0; i < 6000; i++) {
    const z = [rng.normal() * 3, rng.normal() * 3, rng.normal() * 3];
    const p = softmaxT(z, trueT);
    const u = rng.next();
    truth.push(u < (p[0] as number) ? 0 : u < (p[0] as number) + (p[1] as number) ? 1 : 2);
    logits.push(z);
  }
  const t = fitTemperature(logits, truth);
  assert.ok(Math.abs(t - trueT) < 0.15, `fitted ${t}`);
  assert.ok(nllAt(logits, truth, t) <= nllAt(logits, truth, 1));
  assert.equal(fitTemperature([], []), 1);
});

test('softmax with temperature sums to one and sharpens below 1', () => {
  const p = softmaxT([1, 2, 3], 0.5);
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok((p[2] as number) > (softmaxT([1, 2, 3], 1)[2] as number));
});
