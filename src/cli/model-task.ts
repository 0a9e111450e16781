import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TECHNIQUE_MODEL_FAMILY } from '../attack/index.js';
import { AppError } from '../core/index.js';
import { MANIFEST_FILE } from '../model/index.js';

/** The tasks a model directory can hold, as `--task` names them. */
export type ModelTask = 'severity' | 'techniques';

const WHAT: Record<ModelTask, string> = { severity: 'a severity model', techniques: 'a technique model' };

/**
 * The task of the model in `dir`, from its manifest's marks (a severity
 * manifest says `task: "severity"`; a technique manifest has the technique
 * family), or undefined when the manifest is missing, unreadable or neither:
 * the task's own loader then explains what is wrong.
 */
export async function modelTaskOf(dir: string): Promise<ModelTask | undefined> {
  let head: { task?: unknown; family?: unknown } | null;
  try {
    head = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as typeof head;
  } catch {
    return undefined;
  }
  if (head?.task === 'severity') return 'severity';
  if (head?.family === TECHNIQUE_MODEL_FAMILY) return 'techniques';
  return undefined;
}

/**
 * Refuses a model directory that holds the other task's model, with a message
 * that says so, before the task's loader reports the mismatch as a schema error.
 *
 * @throws AppError CS_ERR_MODEL_INCOMPATIBLE naming both tasks.
 */
export async function assertModelTask(dir: string, expected: ModelTask): Promise<void> {
  const found = await modelTaskOf(dir);
  if (found === undefined || found === expected) return;
  throw new AppError(
    'CS_ERR_MODEL_INCOMPATIBLE',
    `${dir} holds ${WHAT[found]}, not ${WHAT[expected]}: use --task ${found} for it, or give --model ${WHAT[expected]} directory`,
    { details: { dir, expected, found } },
  );
}
