import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AppError } from '../core/index.js';

/** What the writer thread is started with. */
export interface WriterThreadData {
  /** The SQLite file (never `:memory:`: a second connection would see another database). */
  path: string;
  /** The INSERT statement, with named parameters matching the rows' keys. */
  sql: string;
}

/** One batch to commit. */
export interface WriterRequest {
  seq: number;
  rows: Record<string, unknown>[];
}

/** The outcome of one batch: committed durably, or the driver's error. */
export interface WriterReply {
  seq: number;
  error?: { code: string | undefined; message: string };
}

interface Waiting {
  resolve: () => void;
  reject: (err: unknown) => void;
}

// The thread's code, plain JavaScript evaluated by the worker (so it runs the same from source
// under tsx, whose loader hooks do not reach worker threads on Node 20, and from the build).
// It owns one connection with synchronous=FULL and commits each batch in one transaction.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
const insert = db.prepare(workerData.sql);
const insertAll = db.transaction((rows) => { for (const row of rows) insert.run(row); });
parentPort.on('message', (request) => {
  if (request === 'close') { db.close(); parentPort.close(); return; }
  let reply;
  try {
    insertAll(request.rows);
    reply = { seq: request.seq };
  } catch (err) {
    reply = { seq: request.seq, error: { code: typeof err.code === 'string' ? err.code : undefined, message: String(err && err.message) } };
  }
  parentPort.postMessage(reply);
});
`;

/**
 * Commits rows through a connection with `synchronous=FULL` on a worker
 * thread: each batch is one transaction, acknowledged only once it is durable
 * (survives power loss), and the fsync that costs blocks the worker, not the
 * event loop. A driver error comes back with its SQLite code (e.g.
 * `SQLITE_CONSTRAINT_PRIMARYKEY`), so callers map it as for an in-thread call.
 * The thread holds the process open only while a batch is in flight.
 */
export class SqliteWriterThread {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  #seq = 0;
  #failed: Error | undefined;
  #closed: Promise<void> | undefined;

  constructor(data: WriterThreadData) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...data, driver } });
    this.#worker.unref();
    this.#worker.on('message', (reply: WriterReply) => {
      const w = this.#waiting.get(reply.seq);
      if (w === undefined) return;
      this.#waiting.delete(reply.seq);
      if (this.#waiting.size === 0) this.#worker.unref();
      if (reply.error === undefined) w.resolve();
      else w.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    });
    const fail = (err: unknown) => {
      this.#failed ??= new AppError('CS_ERR_STORE_UNAVAILABLE', 'The SQLite writer thread stopped', {
        cause: err,
      });
      for (const w of this.#waiting.values()) w.reject(this.#failed);
      this.#waiting.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`writer thread exited with code ${code}`)));
  }

  /** Commits `rows` in one durable transaction on the writer thread. */
  write(rows: Record<string, unknown>[]): Promise<void> {
    if (this.#failed !== undefined) return Promise.reject(this.#failed);
    if (this.#closed !== undefined) {
      return Promise.reject(new AppError('CS_ERR_STORE_UNAVAILABLE', 'The SQLite store is closed'));
    }
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#waiting.set(seq, { resolve, reject });
      if (this.#waiting.size === 1) this.#worker.ref();
      this.#worker.postMessage({ seq, rows } satisfies WriterRequest);
    });
  }

  /** Closes the connection and ends the thread (after the batches already sent). */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      if (this.#failed !== undefined) return resolve();
      this.#worker.once('exit', () => resolve());
      this.#worker.ref();
      this.#worker.postMessage('close');
    });
    return this.#closed;
  }
}
