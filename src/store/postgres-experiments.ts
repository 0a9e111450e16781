import type pg from 'pg';
import type {
  ExperimentObservation,
  ExperimentRepository,
  ExperimentRole,
  LabelledObservation,
} from './experiment-observations.js';
import { pgCall } from './postgres-errors.js';

interface ObservationRow {
  created_at: Date;
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

const COLUMNS = 11;

/** Experiment observations in PostgreSQL. */
export class PostgresExperiments implements ExperimentRepository {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async insert(observations: readonly ExperimentObservation[]): Promise<void> {
    // 11 parameters a row: chunks of 1,000 stay far below the 65,535-parameter limit.
    for (let start = 0; start < observations.length; start += 1_000) {
      const chunk = observations.slice(start, start + 1_000);
      const params: unknown[] = [];
      const tuples = chunk.map((o, i) => {
        params.push(
          new Date(o.createdAt),
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
        return `(${Array.from({ length: COLUMNS }, (_, j) => `$${i * COLUMNS + j + 1}`).join(', ')})`;
      });
      await pgCall('Storing experiment observations', () =>
        this.#pool.query(
          `INSERT INTO experiment_observations (created_at, family, role, candidate_version, active_version, served,
             text_sha256, candidate_severity, active_severity, candidate_latency_ms, active_latency_ms)
           VALUES ${tuples.join(', ')}`,
          params,
        ),
      );
    }
  }

  async labelled(family: string, candidateVersion: string, limit: number): Promise<LabelledObservation[]> {
    const { rows } = await pgCall('Reading experiment observations', () =>
      this.#pool.query<ObservationRow>(
        `SELECT o.*, (SELECT f.correct_label FROM feedback f WHERE f.text_sha256 = o.text_sha256
                       ORDER BY f.created_at DESC, f.id DESC LIMIT 1) AS correct_label
         FROM experiment_observations o
         WHERE o.family = $1 AND o.candidate_version = $2
         ORDER BY o.created_at DESC, o.seq DESC LIMIT $3`,
        [family, candidateVersion, limit],
      ),
    );
    return rows.map((r) => ({
      createdAt: r.created_at.getTime(),
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
