import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { recordingContext } from '../../test/helpers/cli.js';
import { loadConfig } from '../config/index.js';
import { EXIT, runCli } from './program.js';

/** The error a second `listen` on a port in use really raises. */
async function addressInUseError(): Promise<{ error: Error; port: number; close: () => Promise<void> }> {
  const first = createServer();
  first.listen(0, '127.0.0.1');
  await once(first, 'listening');
  const port = (first.address() as { port: number }).port;
  const second = createServer();
  second.listen(port, '127.0.0.1');
  const [error] = (await once(second, 'error')) as [Error];
  return {
    error,
    port,
    close: () => new Promise((resolve) => first.close(() => resolve())),
  };
}

function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

describe('serve: startup errors of the host are one line, exit 1', () => {
  it('a port in use names the port and host, with no stack trace', async () => {
    const busy = await addressInUseError();
    try {
      const ctx = recordingContext();
      ctx.startServer = async () => {
        throw busy.error;
      };
      assert.equal(await runCli(['serve', '--port', String(busy.port)], ctx, '0'), EXIT.failure);
      assert.equal(ctx.err, `cyberstreams: port ${busy.port} on 127.0.0.1 is in use; set PORT or HOST\n`);
    } finally {
      await busy.close();
    }
  });

  for (const [code, pattern] of [
    ['EACCES', /^cyberstreams: no permission to listen on port 80 on 127\.0\.0\.1 .*; set PORT or HOST\n$/],
    ['EADDRNOTAVAIL', /^cyberstreams: HOST 127\.0\.0\.1 is not an address of this machine; set HOST\n$/],
    ['ENOTFOUND', /^cyberstreams: HOST 127\.0\.0\.1 cannot be resolved to an address; set HOST\n$/],
  ] as const) {
    it(`${code} is one line`, async () => {
      const ctx = recordingContext();
      ctx.startServer = async () => {
        throw errno(code, `listen ${code}: something`);
      };
      assert.equal(await runCli(['serve', '--port', '80'], ctx, '0'), EXIT.failure);
      assert.match(ctx.err, pattern);
    });
  }

  it('other startup errors keep their stack (they are defects to report)', async () => {
    const ctx = recordingContext();
    ctx.startServer = async () => {
      throw new TypeError('boom');
    };
    assert.equal(await runCli(['serve'], ctx, '0'), EXIT.failure);
    assert.match(ctx.err, /TypeError: boom\n\s+at /);
  });
});

describe('serve: --port and --host are checked like PORT and HOST', () => {
  for (const port of ['abc', '70000', '-1', '']) {
    it(`--port "${port}" is a usage error (exit 2) and starts nothing`, async () => {
      const ctx = recordingContext();
      let started = false;
      ctx.startServer = async () => {
        started = true;
        throw new Error('not reached');
      };
      assert.equal(await runCli(['serve', '--port', port], ctx, '0'), EXIT.usage);
      assert.match(ctx.err, /option '--port <port>' argument .* is invalid/);
      assert.equal(started, false);
    });
  }

  it('an invalid PORT in the environment is a configuration failure (exit 1), not usage', async () => {
    const ctx = recordingContext();
    ctx.loadConfig = (overrides = {}) => loadConfig({ PORT: '70000', ...overrides });
    assert.equal(await runCli(['serve'], ctx, '0'), EXIT.failure);
    assert.match(ctx.err, /Invalid configuration: PORT/);
  });
});
