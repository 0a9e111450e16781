import { fileURLToPath } from 'node:url';

/**
 * The `assets/` directory of the package: the shipped derived files.
 *
 * Resolved from this file's location, which is `src/assets/` when run from
 * source (tsx) and `dist/assets/` when built: both are two levels below the
 * package root, so the same relative path works for both.
 */
export function defaultAssetsDir(): string {
  return fileURLToPath(new URL('../../assets/', import.meta.url));
}
