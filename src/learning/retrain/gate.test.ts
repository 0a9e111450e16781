import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GateSettings } from '../settings.js';
import { decideGate } from './gate.js';

const settings: GateSettings = {
  maxMacroF1Drop: 0.005,
  minFeedbackGain: 0,
  minFeedbackItems: 5,
  promotesTo: 'active',
};
const active = { holdoutMacroF1: 0.6, holdoutAccuracy: 0.7, feedbackAccuracy: 0.4 };

test('passes within the allowed drop and with a feedback gain', () => {
  const d = decideGate(settings, {
    candidate: { holdoutMacroF1: 0.596, holdoutAccuracy: 0.69, feedbackAccuracy: 0.6 },
    active,
    feedbackItems: 20,
  });
  assert.equal(d.passed, true);
  assert.deepEqual(d.reasons, []);
});

test('refuses a holdout drop beyond 0.005, no feedback gain, or too little feedback, with reasons', () => {
  const drop = decideGate(settings, {
    candidate: { holdoutMacroF1: 0.594, holdoutAccuracy: 0.69, feedbackAccuracy: 0.6 },
    active,
    feedbackItems: 20,
  });
  assert.equal(drop.passed, false);
  assert.match(drop.reasons[0]!, /holdout macro-F1 0\.5940 vs active 0\.6000/);
  const flat = decideGate(settings, {
    candidate: { holdoutMacroF1: 0.61, holdoutAccuracy: 0.7, feedbackAccuracy: 0.4 },
    active,
    feedbackItems: 20,
  });
  assert.equal(flat.passed, false);
  assert.match(flat.reasons[0]!, /recent-feedback accuracy 0\.4000 vs active 0\.4000/);
  const few = decideGate(settings, {
    candidate: { holdoutMacroF1: 0.61, holdoutAccuracy: 0.7, feedbackAccuracy: 1 },
    active,
    feedbackItems: 4,
  });
  assert.equal(few.passed, false);
  assert.match(few.reasons[0]!, /4 recent feedback items held out, 5 needed/);
});

test('a first model of a family passes', () => {
  const d = decideGate(settings, {
    candidate: { holdoutMacroF1: 0.1, holdoutAccuracy: 0.1, feedbackAccuracy: null },
    active: null,
    feedbackItems: 0,
  });
  assert.equal(d.passed, true);
});
