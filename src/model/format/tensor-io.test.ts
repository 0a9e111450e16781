import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeTensor, encodeTensors, fromHalf, toHalf } from './tensor-io.js';

test('float16 round trip: exact for representable values, close for others', () => {
  for (const v of [0, 1, -2, 0.5, 65504, -65504, 2 ** -14, 2 ** -24]) assert.equal(fromHalf(toHalf(v)), v);
  assert.ok(Math.abs(fromHalf(toHalf(0.1)) - 0.1) < 1e-4);
  assert.equal(fromHalf(toHalf(1e6)), Number.POSITIVE_INFINITY);
  assert.equal(toHalf(2 ** -30), 0);
});

test('tensors encode and decode in every precision', () => {
  const values = Float32Array.from({ length: 12 }, (_, i) => (i - 6) / 7);
  const { bytes, index } = encodeTensors([
    { name: 'a', shape: [3, 4], values, dtype: 'float32' },
    { name: 'b', shape: [3, 4], values, dtype: 'float16' },
    { name: 'c', shape: [3, 4], values, dtype: 'int8-rows' },
    { name: 'z', shape: [2, 2], values: new Float32Array(4), dtype: 'int8-rows' },
  ]);
  const [a, b, c, z] = index.map((e) => decodeTensor(bytes, e, 'test'));
  assert.deepEqual(a, values);
  b?.forEach((v, i) => {
    assert.ok(Math.abs(v - (values[i] as number)) < 1e-3);
  });
  // int8 per row: error at most half a step (max |row| / 127 / 2).
  c?.forEach((v, i) => {
    assert.ok(Math.abs(v - (values[i] as number)) <= 6 / 7 / 127 / 2 + 1e-7);
  });
  assert.deepEqual(z, new Float32Array(4));
  for (const e of index) assert.equal(e.offset % 4, 0);
});

test('an entry that does not fit the file is refused', () => {
  const { bytes, index } = encodeTensors([
    { name: 'a', shape: [2], values: new Float32Array([1, 2]), dtype: 'float32' },
  ]);
  const entry = index[0];
  assert.ok(entry);
  assert.throws(() => decodeTensor(bytes, { ...entry, shape: [3] }, 'x'), {
    code: 'CS_ERR_ARTEFACT_INVALID',
  });
  assert.throws(() => decodeTensor(bytes.subarray(0, 4), entry, 'x'), { code: 'CS_ERR_ARTEFACT_INVALID' });
});
