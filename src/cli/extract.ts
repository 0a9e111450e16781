import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadWarninglistIndex } from '../assets/index.js';
import { AppError } from '../core/index.js';
import { extractIndicators } from '../extract/index.js';
import type { CliContext } from './context.js';

/** Largest input `extract` accepts, in bytes (UTF-16 code units for stdin): 64 MiB. */
export const EXTRACT_MAX_INPUT_BYTES = 64 * 1024 * 1024;

interface ExtractCliOptions {
  file?: string;
  warninglists: boolean;
  warninglistFile?: string;
  pretty?: boolean;
}

/** Reads `--file PATH` as strict UTF-8, with clear errors for every way it can fail. */
async function readInputFile(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      throw new AppError('CS_ERR_INPUT_UNREADABLE', `Cannot read ${path}: it is a directory`, {
        details: { path },
      });
    }
    if (info.size > EXTRACT_MAX_INPUT_BYTES) {
      throw new AppError(
        'CS_ERR_PAYLOAD_TOO_LARGE',
        `Cannot read ${path}: ${info.size} bytes is more than the ${EXTRACT_MAX_INPUT_BYTES} bytes extract accepts`,
        { details: { path, size: info.size, limit: EXTRACT_MAX_INPUT_BYTES } },
      );
    }
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new AppError(
      'CS_ERR_INPUT_UNREADABLE',
      `Cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code}`,
      {
        cause: err,
        details: { path, code },
      },
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new AppError('CS_ERR_INPUT_UNREADABLE', `Cannot read ${path}: it is not UTF-8 text`, {
      cause: err,
      details: { path },
    });
  }
}

/**
 * `cyberstreams extract [--file PATH] [--no-warninglists] [--warninglist-file PATH] [--pretty]`:
 * reads text from stdin (or PATH) and prints one JSON object, the
 * `Extraction`: `ipv4s ipv6s domains urls emails cves md5s sha1s sha256s
 * sha512s asns cidrs macs bitcoinAddresses attackIds registryKeys filePaths`
 * (unique refanged values in order of first appearance) and `matches`
 * (`{type, value, raw, start, end, warninglists}` with offsets into the input).
 */
export function registerExtract(program: Command, ctx: CliContext): void {
  program
    .command('extract')
    .description(
      'extract indicators (IPs, domains, URLs, e-mails, hashes, CVEs, ATT&CK ids, …) from text on stdin or --file; prints one JSON object',
    )
    .option('--file <path>', 'read the text from this UTF-8 file instead of stdin')
    .option('--no-warninglists', 'do not flag indicators that appear in the MISP warninglists')
    .option(
      '--warninglist-file <path>',
      'derived warninglist file (default: the shipped assets/warninglists.json.gz)',
    )
    .option('--pretty', 'indent the JSON output')
    .action(async (opts: ExtractCliOptions) => {
      let text: string;
      if (opts.file !== undefined) {
        text = await readInputFile(opts.file);
      } else {
        try {
          text = await ctx.readStdin();
        } catch (err) {
          throw new AppError(
            'CS_ERR_INPUT_UNREADABLE',
            `Cannot read standard input: ${(err as Error).message}`,
            {
              cause: err,
            },
          );
        }
        if (text.length > EXTRACT_MAX_INPUT_BYTES) {
          throw new AppError(
            'CS_ERR_PAYLOAD_TOO_LARGE',
            `Standard input is longer than ${EXTRACT_MAX_INPUT_BYTES} characters`,
            {
              details: { limit: EXTRACT_MAX_INPUT_BYTES },
            },
          );
        }
      }
      const warninglists = opts.warninglists ? await loadWarninglistIndex(opts.warninglistFile) : undefined;
      const extraction = extractIndicators(text, warninglists === undefined ? {} : { warninglists });
      ctx.stdout(`${JSON.stringify(extraction, null, opts.pretty ? 2 : undefined)}\n`);
    });
}
