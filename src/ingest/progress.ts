import { SingleBar } from 'cli-progress';

/** Where progress goes: a terminal stream (live bar) or any writer (plain lines). */
export interface ProgressSink {
  write(text: string): void;
  /** True for an interactive terminal: a live bar is drawn; otherwise plain lines are written. */
  isTTY: boolean;
}

/** A running progress display. */
export interface ProgressDisplay {
  /** Sets the amount done and the figures shown next to the bar. */
  update(value: number, figures?: Readonly<Record<string, string>>): void;
  /** Ends the display (draws the final state). */
  stop(): void;
}

function formatFigures(figures: Readonly<Record<string, string>>): string {
  return Object.entries(figures)
    .map(([k, v]) => `${k} ${v}`)
    .join(' | ');
}

/**
 * Starts a progress display of `total` units. On a terminal it is a
 * cli-progress bar redrawn on each update; elsewhere (logs, pipes, tests) each
 * update that moves at least `lineEvery` of the total, and the last one, is
 * written as one plain line, so long synchronous work still leaves a trace.
 */
export function startProgress(
  sink: ProgressSink,
  label: string,
  total: number,
  options: { unit?: string; lineEvery?: number } = {},
): ProgressDisplay {
  const unit = options.unit ?? '';
  if (sink.isTTY) {
    const bar = new SingleBar({
      stream: sink as unknown as NodeJS.WritableStream,
      format: `${label} |{bar}| {value}/{total}${unit ? ` ${unit}` : ''} {figures}`,
      hideCursor: false,
      clearOnComplete: false,
      etaBuffer: 20,
    });
    bar.start(total, 0, { figures: '' });
    return {
      update: (value, figures = {}) => bar.update(value, { figures: formatFigures(figures) }),
      stop: () => bar.stop(),
    };
  }
  const step = Math.max(1, Math.floor(total * (options.lineEvery ?? 0)));
  let lastLine = -step;
  let pending: { value: number; line: string } | undefined;
  return {
    update: (value, figures = {}) => {
      const line = `${label} ${value}/${total}${unit ? ` ${unit}` : ''}${Object.keys(figures).length > 0 ? ` | ${formatFigures(figures)}` : ''}\n`;
      if (value - lastLine >= step || (value >= total && lastLine < total)) {
        lastLine = value;
        sink.write(line);
        pending = undefined;
      } else if (value !== lastLine) {
        pending = { value, line };
      }
    },
    stop: () => {
      if (pending !== undefined) sink.write(pending.line);
      pending = undefined;
    },
  };
}
