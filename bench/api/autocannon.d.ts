/**
 * The part of autocannon's API this benchmark uses (the package ships no
 * types, and @types/autocannon would be a dependency for one script).
 */
declare module 'autocannon' {
  interface Percentiles {
    p50: number;
    p97_5: number;
    p99: number;
    average: number;
    max: number;
  }
  interface Result {
    duration: number;
    requests: Percentiles & { total: number };
    latency: Percentiles;
    non2xx: number;
    errors: number;
    timeouts: number;
  }
  interface Options {
    url: string;
    method?: string;
    connections?: number;
    duration?: number;
    overallRate?: number;
    headers?: Record<string, string>;
    requests?: { setupRequest?: (req: Record<string, unknown>) => Record<string, unknown> }[];
  }
  interface Instance extends PromiseLike<Result> {
    on(
      event: 'response',
      listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void,
    ): void;
  }
  export default function autocannon(options: Options): Instance;
}
