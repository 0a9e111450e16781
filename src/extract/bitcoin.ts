import { createHash } from 'node:crypto';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_VALUE: ReadonlyMap<string, number> = new Map([...BASE58].map((c, i) => [c, i]));

/** Decodes base58 text to bytes, or `null` on a character outside the alphabet. */
function base58Decode(text: string): Uint8Array | null {
  const bytes: number[] = [];
  for (const ch of text) {
    let carry = BASE58_VALUE.get(ch);
    if (carry === undefined) return null;
    for (let i = 0; i < bytes.length; i++) {
      carry += bytes[i]! * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (let i = 0; i < text.length && text[i] === '1'; i++) bytes.push(0);
  return Uint8Array.from(bytes.reverse());
}

const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();

/**
 * True for a legacy Bitcoin address (P2PKH `1…`, P2SH `3…`): base58check with
 * a 25-byte payload, version byte 0x00 or 0x05, and a valid double-SHA-256
 * checksum. Random 26-35 character words essentially never pass.
 */
export function isBase58Address(text: string): boolean {
  const bytes = base58Decode(text);
  if (bytes === null || bytes.length !== 25) return false;
  if (bytes[0] !== 0x00 && bytes[0] !== 0x05) return false;
  const check = sha256(sha256(bytes.subarray(0, 21)));
  for (let i = 0; i < 4; i++) if (check[i] !== bytes[21 + i]) return false;
  return true;
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3] as const;
const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;

function bech32Polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ BECH32_GENERATOR[i]!) >>> 0;
  }
  return chk;
}

/**
 * True for a mainnet SegWit address (`bc1…`, BIP 173 / BIP 350): one case
 * only, valid checksum (bech32 for witness version 0, bech32m for 1-16), a
 * witness program of 2-40 bytes, and 20 or 32 bytes for version 0.
 */
export function isSegwitAddress(text: string): boolean {
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) return false;
  const s = text.toLowerCase();
  if (!s.startsWith('bc1') || s.length < 14 || s.length > 90) return false;
  const data: number[] = [];
  for (let i = 3; i < s.length; i++) {
    const v = BECH32_CHARSET.indexOf(s[i]!);
    if (v < 0) return false;
    data.push(v);
  }
  // Human-readable part "bc" expanded as BIP 173 specifies.
  const hrp = [3, 3, 0, 2, 3];
  const constant = bech32Polymod([...hrp, ...data]);
  const version = data[0]!;
  if (version > 16) return false;
  if (constant !== (version === 0 ? BECH32_CONST : BECH32M_CONST)) return false;
  const programBits = (data.length - 7) * 5;
  if (programBits % 8 >= 5) return false; // padding longer than 4 bits is invalid
  const programBytes = Math.floor(programBits / 8);
  if (programBytes < 2 || programBytes > 40) return false;
  return version !== 0 || programBytes === 20 || programBytes === 32;
}
