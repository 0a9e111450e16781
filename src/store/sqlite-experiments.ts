import type Database from 'better-sqlite3';
import type {
  ExperimentObservation,
  ExperimentRepository,
  ExperimentRole,
  LabelledObservation,
} from './experiment-observations.js';
import { sqliteCall } from './sqlite-errors.js';

interface ObservationRow {
  created_at: number;
  family: string;
  role: string;
  candidate_version: string;
  active_version: string;
  served: string;
  text_sha256: string;
  candidate_severity: string;
  active_severity: string;
  candidate_latency_ms: number;
  active_latency_ms: number;
  correct_label: string | null;
}

/** Experiment observations in the embedded SQLite store. */
export class SqliteExperiments implements ExperimentRepository {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  async insert(observations: readonly ExperimentObservation[]): Promise<void> {
    if (observations.length === 0) return;
    sqliteCall('Storing experiment observations', () => {
      const insert = this.#db.prepare(
        `INSERT INTO experiment_observations (created_at, family, role, candidate_version, active_version, served,
           text_sha256, candidate_severity, active_severity, candidate_latency_ms, active_latency_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      this.#db.transaction(() => {
        for (const o of observations) {
          insert.run(
            o.createdAt,
            o.family,
            o.role,
            o.candidateVersion,
            o.activeVersion,
            o.served,
            o.textSha256,
            o.candidateSeverity,
            o.activeSeverity,
            o.candidateLatencyMs,
            o.activeLatencyMs,
          );
        }
      })();
    });
  }

  async labelled(family: string, candidateVersion: string, limit: number): Promise<LabelledObservation[]> {
    const rows = sqliteCall('Reading experiment observations', () =>
      this.#db
        .prepare(
          `SELECT o.*, (SELECT f.correct_label FROM feedback f WHERE f.text_sha256 = o.text_sha256
                         ORDER BY f.created_at DESC, f.id DESC LIMIT 1) AS correct_label
           FROM experiment_observations o
           WHERE o.family = ? AND o.candidate_version = ?
           ORDER BY o.created_at DESC, o.seq DESC LIMIT ?`,
        )
        .all(family, candidateVersion, limit),
    ) as ObservationRow[];
    return rows.map((r) => ({
      createdAt: r.created_at,
      family: r.family,
      role: r.role as ExperimentRole,
      candidateVersion: r.candidate_version,
      activeVersion: r.active_version,
      served: r.served as 'candidate' | 'active',
      textSha256: r.text_sha256,
      candidateSeverity: r.candidate_severity,
      activeSeverity: r.active_severity,
      candidateLatencyMs: r.candidate_latency_ms,
      activeLatencyMs: r.active_latency_ms,
      correctLabel: r.correct_label,
    }));
  }
}
