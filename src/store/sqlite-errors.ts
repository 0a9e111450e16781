import { AppError } from '../core/index.js';

/**
 * Runs one SQLite operation and maps driver errors to the catalogue: a unique
 * or primary-key violation is CS_ERR_CONFLICT, a foreign-key violation
 * CS_ERR_NOT_FOUND, anything else (closed handle,
 * disk full, locked past the busy timeout) is CS_ERR_STORE_UNAVAILABLE.
 */
export function sqliteCall<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    throw mapSqliteError(what, cause);
  }
}

/** The {@link AppError} for a driver error raised while doing `what`. */
export function mapSqliteError(what: string, cause: unknown): AppError {
  if (cause instanceof AppError) return cause;
  const code = (cause as { code?: unknown }).code;
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new AppError('CS_ERR_CONFLICT', `${what}: the id already exists`, { cause });
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new AppError('CS_ERR_NOT_FOUND', `${what}: it refers to a record that does not exist`, { cause });
  }
  return new AppError('CS_ERR_STORE_UNAVAILABLE', `${what} failed: ${(cause as Error).message}`, { cause });
}
