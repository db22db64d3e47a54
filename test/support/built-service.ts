import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { connectStore } from '../../src/repository/mongo';
import { holdAnswersFrom } from './contract-client';
import { REPO_ROOT } from './stack';

/** The built service as users run it (`node dist/src/main.js`, what `npm start` runs after the stack is up). */
export const MAIN = path.join(REPO_ROOT, 'dist/src/main.js');

/**
 * What every spec of the built service needs around it: the build must exist (npm test makes it),
 * and the database the spec's processes wrote is dropped after.
 */
export function aroundBuiltService(db: string): void {
  beforeAll(() => {
    if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does)`);
  });

  afterAll(async () => {
    // Reached as DF reaches it (CA, client certificate), so this works on the secure profile too.
    const { mongo } = loadConfig();
    const store = await connectStore(mongo.url, db, {
      tls: { caFile: mongo.tlsCaFile, certificateKeyFile: mongo.tlsCertificateKeyFile },
    });
    await store.db.dropDatabase();
    await store.close();
  });
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

export interface BuiltService {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  exited: Promise<number | null>;
}

/**
 * A child's output is kept for the test to read, not printed, and tests read its info lines (a
 * request, "worker polling"): children log at info unless the test's env says otherwise.
 */
const CHILD_LOG_LEVEL = { DF_LOG_LEVEL: 'info' };

/**
 * With DF_CHILD_LOG_DIR set (the secure run sets it), a DF process's output also goes to a file
 * there, so the run's log scan reads everything the process wrote.
 */
function keepLogOf(child: ChildProcess, name: string): void {
  const dir = process.env.DF_CHILD_LOG_DIR;
  if (!dir) return;
  const file = fs.createWriteStream(path.join(dir, `${name}-${child.pid ?? 'gone'}.log`));
  child.stdout?.on('data', (d) => file.write(d));
  child.stderr?.on('data', (d) => file.write(d));
  child.once('exit', () => file.end());
}

/** The API alone as users run it (`npm run api`). */
export const API_MAIN = path.join(REPO_ROOT, 'dist/src/api-main.js');

/**
 * A DF child's environment: dev mode and the runner's environment, the children's log level, then
 * `listeners` off unless the spec's `env` sets them. Specs run two at a time, and every child would
 * otherwise bind the same default probe and metrics addresses.
 */
function childEnv(listeners: Record<string, string>, env: Record<string, string>): NodeJS.ProcessEnv {
  return { DF_DEV_MODE: 'true', ...process.env, ...CHILD_LOG_LEVEL, ...listeners, ...env };
}

/** Starts the built service (or another of its entries) with these variables on top of the test's environment. */
export function runBuiltService(env: Record<string, string>, entry = MAIN): BuiltService {
  let output = '';
  const child = spawn(process.execPath, [entry], {
    env: childEnv({ DF_WORKER_METRICS: 'off' }, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  keepLogOf(child, 'df');
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  // Its answers are held to the OpenAPI document while it runs.
  const released = env.DF_PORT ? holdAnswersFrom(`http://127.0.0.1:${env.DF_PORT}`) : undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      released?.();
      resolve(code);
    }),
  );
  return { child, output: () => output, exited };
}

export const WORKER_MAIN = path.join(REPO_ROOT, 'dist/src/worker-main.js');

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the worker logs that it polls its task queue; rejects if it exits first. */
  polling: Promise<void>;
  output(): string;
}

/** The worker as its own process (the built `npm run worker`), so a test can kill it outright. */
export function runWorkerProcess(env: Record<string, string>): WorkerProcess {
  if (!fs.existsSync(WORKER_MAIN)) throw new Error(`${WORKER_MAIN} is missing: run \`npm run build\` (npm test does)`);
  const child = spawn(process.execPath, [WORKER_MAIN], {
    env: childEnv({ DF_PROBE_ADDRESS: 'off', DF_WORKER_METRICS: 'off' }, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  keepLogOf(child, 'df-worker');
  let output = '';
  const polling = new Promise<void>((resolve, reject) => {
    // DF logs JSON lines to stderr.
    const read = (chunk: Buffer) => {
      output += String(chunk);
      if (output.includes('"worker polling"')) resolve();
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code, signal) =>
      reject(new Error(`worker exited (${code ?? signal}) before polling: ${output.slice(-4000)}`)),
    );
  });
  // A worker killed on purpose after it polled must not surface as an unhandled rejection.
  polling.catch(() => undefined);
  return { child, polling, output: () => output };
}
