import { createHash } from 'node:crypto';

/**
 * The one normalisation every text gets before it is scored, cached or stored:
 * Unicode NFC (so composed and decomposed accents are the same text) and LF
 * line endings. Nothing else changes, so entity and explanation offsets in
 * the answer refer to this normalised text, which equals the input for the
 * usual NFC, LF-terminated text.
 */
export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n');
}

/** SHA-256 (hex) of a string's UTF-8 bytes. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
