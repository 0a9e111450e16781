import assert from 'node:assert/strict';
import { test } from 'node:test';
import { informationalVotes, measureLabellingFunctions } from './weak-labels.js';

test('labelling functions vote on texts without threats and abstain on threats', () => {
  assert.deepEqual(informationalVotes('The team thanks its partners for the help this quarter.'), [
    'no-threat-vocabulary',
  ]);
  assert.deepEqual(informationalVotes('The malware exfiltrates credentials to a remote server.'), []);
  assert.deepEqual(informationalVotes('Configure logging on every host and review the settings weekly.'), [
    'no-threat-vocabulary',
    'advice-without-threat',
  ]);
  assert.ok(informationalVotes('This change has no security impact.').includes('states-no-impact'));
  assert.deepEqual(informationalVotes('Too short.'), []);
});

test('precision is measured against gold labels', () => {
  const m = measureLabellingFunctions('set', [
    { text: 'The team thanks its partners for the help this quarter.', isInformational: true },
    { text: 'The new office opened in the city centre last week.', isInformational: false },
    { text: 'Attackers exploit the flaw to run code remotely on servers.', isInformational: false },
  ]);
  const noThreat = m.find((x) => x.lf === 'no-threat-vocabulary');
  assert.deepEqual(noThreat, {
    lf: 'no-threat-vocabulary',
    set: 'set',
    n: 3,
    fired: 2,
    correct: 1,
    precision: 0.5,
  });
  assert.equal(m.find((x) => x.lf === 'states-no-impact')?.precision, null);
});
