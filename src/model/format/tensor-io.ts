import { AppError } from '../../core/index.js';
import type { TensorEntry } from './tensor-file.js';

/** A named tensor to write: values and shape; `dtype` picks the stored precision. */
export interface TensorToWrite {
  name: string;
  shape: number[];
  values: Float32Array;
  dtype: TensorEntry['dtype'];
}

/** IEEE 754 binary16 bits of a number (round to nearest even, with overflow to infinity). */
export function toHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

/** The number a binary16 bit pattern stands for. */
export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

function encodeOne(t: TensorToWrite): Buffer {
  const n = t.values.length;
  switch (t.dtype) {
    case 'float32':
      return Buffer.from(new Float32Array(t.values).buffer);
    case 'float16': {
      const buf = Buffer.alloc(n * 2);
      for (let i = 0; i < n; i++) buf.writeUInt16LE(toHalf(t.values[i] as number), i * 2);
      return buf;
    }
    case 'int8-rows': {
      const cols = t.shape[t.shape.length - 1] ?? 1;
      const rows = cols === 0 ? 0 : n / cols;
      const q = Buffer.alloc(n);
      const scales = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        let max = 0;
        for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(t.values[r * cols + c] as number));
        const scale = max / 127;
        scales[r] = scale;
        for (let c = 0; c < cols; c++) {
          const v = scale === 0 ? 0 : Math.round((t.values[r * cols + c] as number) / scale);
          q.writeInt8(Math.max(-127, Math.min(127, v)), r * cols + c);
        }
      }
      return Buffer.concat([q, Buffer.from(scales.buffer)]);
    }
  }
}

/** Encodes tensors into one weights file and returns the bytes and the index to store in the manifest. */
export function encodeTensors(tensors: readonly TensorToWrite[]): { bytes: Buffer; index: TensorEntry[] } {
  const parts: Buffer[] = [];
  const index: TensorEntry[] = [];
  let offset = 0;
  for (const t of tensors) {
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (expected !== t.values.length)
      throw new RangeError(`tensor ${t.name}: shape does not match ${t.values.length} values`);
    const b = encodeOne(t);
    // Keep every tensor 4-byte aligned so float32 views need no copy.
    const pad = (4 - (b.length % 4)) % 4;
    parts.push(b, Buffer.alloc(pad));
    index.push({ name: t.name, dtype: t.dtype, shape: t.shape, offset, byteLength: b.length });
    offset += b.length + pad;
  }
  return { bytes: Buffer.concat(parts), index };
}

/**
 * Decodes one tensor of a weights file to float32 values. Throws
 * `CS_ERR_ARTEFACT_INVALID` when the entry does not fit the file or its shape.
 */
export function decodeTensor(bytes: Buffer, entry: TensorEntry, where: string): Float32Array {
  const n = entry.shape.reduce((a, b) => a * b, 1);
  const cols = entry.shape[entry.shape.length - 1] ?? 1;
  const rows = cols === 0 ? 0 : n / cols;
  const expected = entry.dtype === 'float32' ? n * 4 : entry.dtype === 'float16' ? n * 2 : n + rows * 4;
  if (entry.byteLength !== expected || entry.offset + entry.byteLength > bytes.length) {
    throw new AppError(
      'CS_ERR_ARTEFACT_INVALID',
      `${where}: tensor ${entry.name} does not fit the weights file`,
      {
        details: { tensor: entry.name, expected, byteLength: entry.byteLength, fileBytes: bytes.length },
      },
    );
  }
  const out = new Float32Array(n);
  const at = entry.offset;
  switch (entry.dtype) {
    case 'float32':
      for (let i = 0; i < n; i++) out[i] = bytes.readFloatLE(at + i * 4);
      break;
    case 'float16':
      for (let i = 0; i < n; i++) out[i] = fromHalf(bytes.readUInt16LE(at + i * 2));
      break;
    case 'int8-rows':
      for (let r = 0; r < rows; r++) {
        const scale = bytes.readFloatLE(at + n + r * 4);
        for (let c = 0; c < cols; c++) out[r * cols + c] = bytes.readInt8(at + r * cols + c) * scale;
      }
      break;
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(out[i] as number)) {
      throw new AppError(
        'CS_ERR_ARTEFACT_INVALID',
        `${where}: tensor ${entry.name} holds a non-finite value`,
        {
          details: { tensor: entry.name, index: i },
        },
      );
    }
  }
  return out;
}
