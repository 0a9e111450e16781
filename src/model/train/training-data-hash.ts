import { createHash } from 'node:crypto';
import type { LabelledDoc } from '../../ingest/index.js';

/** SHA-256 (hex) over id, label and text of each example, in order: identifies the training set in a manifest. */
export function trainingDataHash(docs: readonly LabelledDoc[]): string {
  const h = createHash('sha256');
  for (const d of docs) h.update(`${d.id}\u0000${d.label ?? ''}\u0000${d.text}\u0001`);
  return h.digest('hex');
}
