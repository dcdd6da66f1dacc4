// heartbeatd as a process for the browser tests, set up like tests/e2e/harness.py does it: a free
// loopback port, a fresh SQLite database in a temporary directory, output to files.
//
// Always SQLite, even when HEARTBEATD_TEST_PG is set: the web UI sits on the same read and write
// paths the Python end-to-end tests already run against both backends, and a second backend would
// double the slowest test of the suite without covering anything new.

import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { sleep } from './wait.mjs';

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

/** A TCP port on 127.0.0.1 that was free a moment ago (the same race harness.py accepts). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `binary` and resolves once GET /healthz answers 200.
 *
 * Returns { base, port, stop() }; stop() sends SIGTERM (SIGKILL after 10 s) and resolves to
 * { code, signal, stdout, stderr }.
 */
export async function startHeartbeatd({ binary, adminPassword, env = {} }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-web-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const inherited = { ...process.env };
  // The caller's admin token would be irrelevant at best: the web UI logs in by password.
  delete inherited.HEARTBEATD_ADMIN_TOKEN;
  const childEnv = {
    ...inherited,
    HEARTBEATD_LISTEN: `127.0.0.1:${port}`,
    HEARTBEATD_DATABASE: `sqlite3://${dir}/hb.db`,
    HEARTBEATD_PUBLIC_URL: base,
    // The monitor's safety-net sweep every second, so `down` shows up promptly in any case.
    HEARTBEAT_CHECK_INTERVAL: '1',
    HEARTBEATD_ADMIN_PASSWORD: adminPassword,
    ...env,
  };

  // Files, not pipes: a pipe nobody reads blocks the server once it is full.
  const outPath = path.join(dir, 'stdout.log');
  const errPath = path.join(dir, 'stderr.log');
  const out = openSync(outPath, 'w');
  const err = openSync(errPath, 'w');
  const child = spawn(binary, [], { env: childEnv, stdio: ['ignore', out, err] });
  closeSync(out);
  closeSync(err);

  let exited = null;
  const exitedPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve((exited = { code, signal })));
    child.once('error', (error) => resolve((exited = { code: null, signal: null, error })));
  });
  // A test runner that dies (or a failed assertion in a `before` hook) must not leave the server
  // behind holding its port.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const read = (p) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return '';
    }
  };

  let stopped = null;
  async function stop() {
    if (stopped) return stopped;
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exitedPromise;
      clearTimeout(timer);
    }
    process.removeListener('exit', killOnExit);
    stopped = { ...exited, stdout: read(outPath), stderr: read(errPath) };
    rmSync(dir, { recursive: true, force: true });
    return stopped;
  }

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      const how = exited.error?.message ?? exited.code ?? exited.signal;
      const { stderr } = await stop();
      throw new Error(`heartbeatd exited early (${how}): ${stderr}`);
    }
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() >= deadline) {
      const { stderr } = await stop();
      throw new Error(
        `heartbeatd did not answer /healthz within ${START_TIMEOUT_MS} ms: ${stderr}`,
      );
    }
    await sleep(50);
  }
  return { base, port, stop };
}
