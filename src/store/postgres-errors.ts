import { AppError } from '../core/index.js';

/**
 * Runs one PostgreSQL operation and maps driver errors to the catalogue: a
 * unique violation (23505) is CS_ERR_CONFLICT, a foreign-key violation (23503)
 * CS_ERR_NOT_FOUND, anything else (connection
 * refused, pool ended, server gone) is CS_ERR_STORE_UNAVAILABLE.
 */
export async function pgCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    if ((cause as { code?: unknown }).code === '23505') {
      throw new AppError('CS_ERR_CONFLICT', `${what}: the id already exists`, { cause });
    }
    if ((cause as { code?: unknown }).code === '23503') {
      throw new AppError('CS_ERR_NOT_FOUND', `${what}: it refers to a record that does not exist`, { cause });
    }
    throw new AppError('CS_ERR_STORE_UNAVAILABLE', `${what} failed: ${(cause as Error).message}`, { cause });
  }
}
