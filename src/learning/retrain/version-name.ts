import { randomBytes } from 'node:crypto';

/** A new model version name: `r` + UTC time to the second + 6 random hex digits, e.g. `r20261127-031500-1a2b3c`. */
export function newVersionName(now: number): string {
  const t = new Date(now).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `r${t}-${randomBytes(3).toString('hex')}`;
}
