import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanAttackText, readAttackCatalogue } from './attack-bundle.js';

test('cleanAttackText strips citations, markdown links, tags and backticks', () => {
  assert.equal(
    cleanAttackText(
      '[APT28](https://attack.mitre.org/groups/G0007) used `cmd.exe` <code>/c</code>.(Citation: A B 2020)(Citation: C)  ',
    ),
    'APT28 used cmd.exe /c .',
  );
});

test('procedure examples skip revoked objects; revoked techniques keep a marked name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-attack-bundle-'));
  try {
    const ref = (id: string) => [{ source_name: 'mitre-attack', external_id: id }];
    const bundle = {
      type: 'bundle',
      id: 'bundle--1',
      objects: [
        {
          type: 'attack-pattern',
          id: 'attack-pattern--a',
          name: 'Ingress Tool Transfer',
          description: 'Adversaries may transfer tools.(Citation: Y)',
          external_references: ref('T1105'),
        },
        {
          type: 'attack-pattern',
          id: 'attack-pattern--b',
          name: 'DLL Side-Loading',
          description: 'Revoked text.',
          revoked: true,
          external_references: ref('T1574.002'),
        },
        { type: 'intrusion-set', id: 'intrusion-set--g', name: 'G' },
        { type: 'intrusion-set', id: 'intrusion-set--old', name: 'Old', revoked: true },
        rel('r1', 'intrusion-set--g', 'attack-pattern--a', '[G](https://x) downloaded tools.(Citation: X)'),
        rel('r2', 'intrusion-set--g', 'attack-pattern--b', 'G side-loaded a DLL.'),
        rel('r3', 'intrusion-set--old', 'attack-pattern--a', 'Old downloaded tools.'),
        { ...rel('r4', 'intrusion-set--g', 'attack-pattern--a', 'stale'), x_mitre_deprecated: true },
      ],
    };
    const path = join(dir, 'bundle.json');
    writeFileSync(path, JSON.stringify(bundle));
    const catalogue = readAttackCatalogue(path);
    assert.deepEqual(catalogue.procedures, [{ text: 'G downloaded tools.', technique: 'T1105' }]);
    assert.equal(catalogue.names.get('T1105'), 'Ingress Tool Transfer');
    assert.deepEqual(catalogue.descriptions, [
      { text: 'Adversaries may transfer tools.', technique: 'T1105' },
    ]);
    assert.equal(catalogue.names.has('T1574.002'), false);
    assert.equal(catalogue.staleNames.get('T1574.002'), 'DLL Side-Loading (revoked)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function rel(id: string, source: string, target: string, description: string): Record<string, unknown> {
  return {
    type: 'relationship',
    id: `relationship--${id}`,
    relationship_type: 'uses',
    source_ref: source,
    target_ref: target,
    description,
  };
}
