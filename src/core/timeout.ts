/**
 * `promise`, or a rejection with `onTimeout()` when it has not settled within
 * `ms` milliseconds. The timer is cleared as soon as either settles. The
 * promise's work goes on after a timeout (nothing can interrupt it); its late
 * result is dropped.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
