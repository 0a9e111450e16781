import { AppError } from '../core/index.js';
import {
  type GraphStore,
  type IndicatorRef,
  indicatorsFromLists,
  recordThreat,
  SqliteGraph,
  type ThreatInput,
} from '../graph/index.js';
import type { PredictionForGraph, ThreatRecorder } from '../http/index.js';

/** ATT&CK technique ids the graph takes. */
export const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;
const CVE_ID = /^CVE-\d{4}-\d{4,}$/i;

/**
 * The indicators of an extraction the graph should link: the types it knows,
 * minus values on a warninglist (8.8.8.8 or google.com would join unrelated
 * threats), at most `max`.
 */
export function graphIndicators(entities: Partial<Record<string, unknown>>, max: number): IndicatorRef[] {
  const benign = new Set<string>();
  for (const m of (entities.matches ?? []) as { value: string; warninglists?: unknown[] }[]) {
    if ((m.warninglists?.length ?? 0) > 0) benign.add(m.value);
  }
  const lists = entities as Partial<Record<string, readonly string[]>>;
  return indicatorsFromLists(lists)
    .filter((i) => !benign.has(i.value))
    .slice(0, max);
}

/** A {@link ThreatRecorder} that also reports when everything queued has been written. */
export interface GraphThreatRecorder extends ThreatRecorder {
  /** Resolves once every accepted prediction is recorded (or failed). */
  idle(): Promise<void>;
}

interface PendingThreat {
  prediction: PredictionForGraph;
  resolve: () => void;
  reject: (err: unknown) => void;
}

function threatInput(p: PredictionForGraph): ThreatInput {
  return {
    predictionId: p.id,
    title: p.text,
    severity: p.severity as ThreatInput['severity'],
    indicators: graphIndicators(p.entities, 5000) as ThreatInput['indicators'],
    techniques: p.techniques
      .filter((t) => TECHNIQUE_ID.test(t.id))
      .slice(0, 500)
      .map((t) => ({ id: t.id, score: Math.min(1, Math.max(0, t.score)) })),
    cves: ((p.entities.cves ?? []) as string[]).filter((c) => CVE_ID.test(c)).slice(0, 1000),
    observedAt: new Date(p.createdAt).toISOString(),
  };
}

/**
 * Runs `fn` inside one SQLite transaction when the graph is the embedded one:
 * each `recordThreat` then commits as a savepoint of it (better-sqlite3 nests
 * transactions that way), which makes a threat about 7x cheaper than with a
 * commit of its own (bench/api). Safe because every SqliteGraph method does its
 * work synchronously, so no other request's graph write can interleave while
 * the transaction is open. PostgreSQL: `fn` runs as is.
 */
async function inOneSqliteTransaction<T>(graph: GraphStore, fn: () => Promise<T>): Promise<T> {
  if (!(graph instanceof SqliteGraph) || graph.db.inTransaction) return fn();
  graph.db.exec('BEGIN IMMEDIATE');
  try {
    const result = await fn();
    graph.db.exec('COMMIT');
    return result;
  } catch (err) {
    if (graph.db.inTransaction) graph.db.exec('ROLLBACK');
    throw err;
  }
}

/**
 * Records predictions as Threat nodes in the background: queued for `windowMs`,
 * then written in groups of up to `groupSize` in arrival order (one transaction
 * per group on SQLite). At most `maxPending` wait: past that, new ones are refused at once
 * rather than piling up in memory under overload (the prediction itself is
 * stored either way). Each caller learns its own outcome once its group is committed.
 */
export function createThreatRecorder(
  graph: GraphStore,
  maxPending = 10_000,
  groupSize = 256,
  /**
   * How long a group collects predictions before it is written, ms: larger groups, fewer
   * commits. Each commit of the embedded graph costs an fsync (synchronous=FULL; about 4 ms on
   * the bench machine, on the event loop), so 200 ms bounds that to 5 per second under load.
   */
  windowMs = 200,
): GraphThreatRecorder {
  const queue: PendingThreat[] = [];
  let inFlight = 0;
  let draining: Promise<void> | undefined;
  let scheduled = false;

  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const group = queue.splice(0, groupSize);
      inFlight = group.length;
      const outcomes: (unknown | undefined)[] = [];
      try {
        await inOneSqliteTransaction(graph, async () => {
          for (const entry of group) {
            try {
              await recordThreat(graph, threatInput(entry.prediction));
              outcomes.push(undefined);
            } catch (err) {
              // recordThreat's own (nested) transaction rolled back; the rest of the group goes on.
              outcomes.push(err ?? new Error('recordThreat failed'));
            }
          }
        });
        group.forEach((entry, i) => {
          const err = outcomes[i];
          if (err === undefined) entry.resolve();
          else entry.reject(err);
        });
      } catch (err) {
        for (const entry of group) entry.reject(err);
      } finally {
        inFlight = 0;
      }
    }
  };

  const kick = () => {
    if (scheduled || draining !== undefined) return;
    scheduled = true;
    // Later, not now: the responses of this turn go out first, and the group fills up.
    setTimeout(() => {
      scheduled = false;
      draining = drain().finally(() => {
        draining = undefined;
        if (queue.length > 0) kick();
      });
    }, windowMs);
  };

  return {
    record: (prediction) => {
      if (queue.length + inFlight >= maxPending) {
        return Promise.reject(
          new AppError(
            'CS_ERR_TIMEOUT',
            `Threat recording is ${queue.length + inFlight} predictions behind; ${prediction.id} skipped`,
          ),
        );
      }
      return new Promise<void>((resolve, reject) => {
        queue.push({ prediction, resolve, reject });
        kick();
      });
    },
    idle: async () => {
      while (draining !== undefined || scheduled || queue.length > 0) {
        if (draining !== undefined) await draining;
        else await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
}
