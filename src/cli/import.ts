import { createWriteStream, type WriteStream } from 'node:fs';
import type { Command } from 'commander';
import {
  IMPORT_FORMATS,
  type ImportFormat,
  importDocuments,
  type ProgressDisplay,
  type SkippedRecord,
  startProgress,
} from '../ingest/index.js';
import type { CliContext } from './context.js';
import { usageError } from './usage.js';

interface ImportCliOptions {
  format?: string;
  out?: string;
  types?: string;
}

function endStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on('error', reject);
    stream.end(resolve);
  });
}

/**
 * `cyberstreams import PATH [--format cve5|nvd2|stix21|jsonl] [--out FILE] [--types report,vulnerability]`
 *
 * Reads security documents in the formats users hand over (CVE JSON 5 lines,
 * a CVE list directory tree or one record; an NVD API 2.0 file; a STIX 2.1
 * bundle; JSON lines `{text, label}`, gzip allowed) and writes them as JSON
 * lines in the `eval` format (`id, text, severity, labelSource, source,
 * published, cwes`) to `--out` or stdout. Every skipped record is reported on
 * stderr with its reason; the last stderr line and, with `--out`, the last
 * stdout line is a JSON summary.
 */
export function registerImport(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description('read CVE JSON 5, NVD 2.0, STIX 2.1 or labelled JSON lines into normalised JSON lines')
    .argument('<path>', 'file or CVE list directory')
    .option('--format <format>', `input format (default: detected): ${IMPORT_FORMATS.join(', ')}`)
    .option('--out <file>', 'write the JSON lines here instead of stdout')
    .option('--types <list>', 'STIX object types to import (default report,vulnerability,indicator)')
    .action(async (path: string, opts: ImportCliOptions) => {
      if (opts.format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(opts.format)) {
        throw usageError(`--format must be one of ${IMPORT_FORMATS.join(', ')}, got "${opts.format}"`);
      }
      const types = opts.types
        ?.split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const out = opts.out === undefined ? undefined : createWriteStream(opts.out);
      const write = (line: string) => (out ? out.write(line) : ctx.stdout(line));
      const sink = { write: ctx.stderr, isTTY: false };
      let bar: ProgressDisplay | undefined;
      const skips: Record<string, number> = {};
      let skipped = 0;
      let imported = 0;
      let labelled = 0;
      try {
        for await (const d of importDocuments(path, {
          ...(opts.format === undefined ? {} : { format: opts.format as ImportFormat }),
          ...(types === undefined ? {} : { types }),
          onSkip: (s: SkippedRecord) => {
            skipped++;
            skips[s.reason] = (skips[s.reason] ?? 0) + 1;
            ctx.stderr(`skipped ${s.where}${s.id ? ` (${s.id})` : ''}: ${s.reason}\n`);
          },
          onProgress: (p) => {
            if (p.total === 0) return;
            bar ??= startProgress(sink, 'reading', Math.max(1, Math.round(p.total / 1048576)), {
              unit: 'MiB',
              lineEvery: 0.1,
            });
            bar.update(Math.round(p.done / 1048576));
          },
        })) {
          imported++;
          if (d.label) labelled++;
          write(
            `${JSON.stringify({
              id: d.id,
              text: d.text,
              severity: d.label ?? null,
              labelSource: d.labelSource,
              ...(d.source === undefined ? {} : { source: d.source }),
              ...(d.published === undefined ? {} : { published: d.published }),
              cwes: d.cwes,
            })}\n`,
          );
        }
      } finally {
        bar?.stop();
        if (out) await endStream(out);
      }
      const summary = JSON.stringify({ path, imported, labelled, skipped, skipReasons: skips });
      ctx.stderr(`${summary}\n`);
      if (out) ctx.stdout(`${summary}\n`);
    });
}
