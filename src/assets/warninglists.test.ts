import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { fixtureWarninglistFile } from '../../test/fixtures/extract/warninglists.js';
import { isAppError } from '../core/index.js';
import { extractIndicators } from '../extract/index.js';
import { defaultWarninglistsPath, loadWarninglistFile, loadWarninglistIndex } from './warninglists.js';

describe('loadWarninglistFile', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-wl-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads gzip-compressed and plain JSON files', async () => {
    const file = fixtureWarninglistFile();
    await writeFile(join(dir, 'w.json.gz'), gzipSync(JSON.stringify(file)));
    await writeFile(join(dir, 'w.json'), JSON.stringify(file));
    assert.deepEqual(await loadWarninglistFile(join(dir, 'w.json.gz')), file);
    assert.deepEqual(await loadWarninglistFile(join(dir, 'w.json')), file);
  });

  it('fails with CS_ERR_ASSET_MISSING and the build command when the file is absent', async () => {
    await assert.rejects(loadWarninglistFile(join(dir, 'absent.json.gz')), (err) => {
      assert.ok(isAppError(err, 'CS_ERR_ASSET_MISSING'));
      assert.match(err.message, /npm run build:warninglists/);
      return true;
    });
  });

  it('fails with CS_ERR_ARTEFACT_INVALID on corrupt or mis-shaped files', async () => {
    await writeFile(join(dir, 'bad.json.gz'), 'not gzip');
    await assert.rejects(loadWarninglistFile(join(dir, 'bad.json.gz')), (err) =>
      isAppError(err, 'CS_ERR_ARTEFACT_INVALID'),
    );
    const wrong = { ...fixtureWarninglistFile(), groups: [{ lists: [0], values: [42] }] };
    await writeFile(join(dir, 'wrong.json'), JSON.stringify(wrong));
    await assert.rejects(loadWarninglistFile(join(dir, 'wrong.json')), (err) => {
      assert.ok(isAppError(err, 'CS_ERR_ARTEFACT_INVALID'));
      assert.match(err.message, /\/groups\/0\/values\/0/);
      return true;
    });
  });
});

describe('the shipped warninglist file', () => {
  it('loads and flags well-known benign indicators', async () => {
    const index = await loadWarninglistIndex(defaultWarninglistsPath());
    assert.ok(index.lists.length > 100);
    const e = extractIndicators('8.8.8.8 192.168.1.1 d41d8cd98f00b204e9800998ecf8427e', {
      warninglists: index,
    });
    for (const m of e.matches) assert.ok(m.warninglists.length > 0, `${m.value} not flagged`);
  });
});
