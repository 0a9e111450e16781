import { fork } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { AppError } from '../../core/index.js';
import { trainCandidate } from './train-candidate.js';
import type { CandidateTrainer, TrainOutcome, TrainProgress, TrainSpec } from './train-spec.js';

/** Messages from the training child to its parent. */
type ChildMessage =
  | { type: 'progress'; fraction: number; message: string }
  | { type: 'done'; outcome: TrainOutcome }
  | { type: 'error'; message: string; code?: string };

/**
 * Trains in a child process (the in-process queue's default), so a long
 * training never blocks the API's event loop, at a lower CPU priority (nice + 10)
 * so requests come first. `entry` is a script that calls
 * {@link serveTrainChild} (`src/main/train-child.ts`); the child inherits this
 * process's `execArgv` (so it also runs under tsx in development).
 */
export class ChildProcessTrainer implements CandidateTrainer {
  readonly #entry: URL;
  readonly #killAfterMs: number;

  /**
   * @param entry the child's entry script.
   * @param killAfterMs after an abort, how long the child gets to stop on SIGTERM before SIGKILL, ms.
   *   Default 5,000: training runs synchronously between epochs and may not see SIGTERM for minutes.
   */
  constructor(entry: URL, killAfterMs = 5_000) {
    this.#entry = entry;
    this.#killAfterMs = killAfterMs;
  }

  train(spec: TrainSpec, progress: TrainProgress, signal: AbortSignal): Promise<TrainOutcome> {
    return new Promise<TrainOutcome>((resolve, reject) => {
      if (signal.aborted) {
        reject(new Error('retraining aborted'));
        return;
      }
      const child = fork(this.#entry, [], {
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      if (child.pid !== undefined) {
        try {
          // Ten steps nicer than this process: requests keep the CPU while a model trains.
          setPriority(child.pid, Math.min(19, getPriority() + 10));
        } catch {
          // Not permitted on this system: the child still runs, at the same priority.
        }
      }
      let settled = false;
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
      });
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = () => {
        child.kill('SIGTERM');
        // Not unref'd: a process stopping right after an abort still kills a child that ignored SIGTERM.
        const kill = setTimeout(() => child.kill('SIGKILL'), this.#killAfterMs);
        child.once('exit', () => clearTimeout(kill));
        finish(() => reject(new Error('retraining aborted')));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      child.on('message', (m: ChildMessage) => {
        // After an abort the child may go on until its epoch ends: its reports go nowhere.
        if (settled) return;
        if (m.type === 'progress') progress(m.fraction, m.message);
        else if (m.type === 'done') finish(() => resolve(m.outcome));
        else if (m.type === 'error') {
          finish(() =>
            reject(
              m.code === undefined
                ? new Error(m.message)
                : new AppError(m.code as ConstructorParameters<typeof AppError>[0], m.message),
            ),
          );
        }
      });
      child.on('error', (err) => finish(() => reject(err)));
      child.on('exit', (code, sig) => {
        finish(() =>
          reject(
            new Error(
              `training process exited (${sig ?? `code ${code}`}) before answering: ${stderr.trim()}`,
            ),
          ),
        );
      });
      child.send({ type: 'train', spec });
    });
  }
}

/**
 * The child side: waits for one training request on the IPC channel, runs
 * it, answers with the outcome (or the error) and exits. Call it from the
 * child's entry script only.
 */
export function serveTrainChild(): void {
  const abort = new AbortController();
  process.on('SIGTERM', () => abort.abort());
  let answered = false;
  // The parent is gone (stopped or crashed): nobody will read the outcome, so stop training.
  process.on('disconnect', () => process.exit(answered ? 0 : 1));
  process.once('message', (m: { type: 'train'; spec: TrainSpec }) => {
    const send = (msg: ChildMessage) =>
      new Promise<void>((resolve) => {
        if (process.send === undefined) resolve();
        else process.send(msg, undefined, {}, () => resolve());
      });
    trainCandidate(
      m.spec,
      (fraction, message) => void send({ type: 'progress', fraction, message }),
      abort.signal,
    )
      .then((outcome) => send({ type: 'done', outcome }))
      .catch((err: unknown) =>
        send({
          type: 'error',
          message: err instanceof Error ? err.message : String(err),
          ...(err instanceof AppError ? { code: err.code } : {}),
        }),
      )
      // Disconnect only once the answer is flushed, so the parent always gets it.
      .finally(() => {
        answered = true;
        process.disconnect?.();
      });
  });
}
