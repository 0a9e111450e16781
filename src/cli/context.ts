import type { Config } from '../config/index.js';
import type { EnrichRequest, EnrichResult } from '../graph/index.js';

/** A started API server, as `serve` sees it. */
export interface ServerHandle {
  address: string;
  stop(): Promise<void>;
}

/** The service's enricher, opened for one `graph enrich` run. */
export interface CliEnricher {
  /** The same function `POST /api/v1/enrich` calls: extraction, technique mapping, stored predictions, graph. */
  enrich(request: EnrichRequest): Promise<EnrichResult>;
  /** Closes the graph (and the prediction store, if a request opened it). */
  close(): Promise<void>;
}

/**
 * What every sub-command gets from the entry point: I/O streams and the
 * configuration loader, so commands are testable without a real process.
 */
export interface CliContext {
  /** Reads standard input to the end as UTF-8. */
  readStdin(): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Loads the configuration from the environment, with command-line overrides applied on top. */
  loadConfig(overrides?: Record<string, string>): Config;
  /** Wires and starts the API server (provided by src/main, which alone knows the concrete parts). */
  startServer(config: Config): Promise<ServerHandle>;
  /** Wires and starts a retraining worker on Redis (`cyberstreams worker`; provided by src/main). */
  startWorker?(config: Config): Promise<ServerHandle>;
  /**
   * Opens the enricher of `POST /api/v1/enrich` on the configured graph and prediction store
   * (`cyberstreams graph enrich`; provided by src/main); warnings go to `stderr`.
   */
  openEnricher?(config: Config, stderr: (text: string) => void): Promise<CliEnricher>;
}
