import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import axios from 'axios';
import { apiContract, ApiAnswer, ContractBreach, ContractCheck } from '../support/api-contract';
import { DfApp, startDfApp } from '../support/df-app';
import { REPO_ROOT } from '../support/stack';

const run = promisify(execFile);
const ADMIN = 'fuzz-admin-token-0123456789';

interface HarEntry {
  request: { method: string; url: string };
  response: { status: number; content?: { text?: string; mimeType?: string; encoding?: string } };
}

function answerOf(e: HarEntry): ApiAnswer {
  const content = e.response.content;
  const text =
    content?.encoding === 'base64' ? Buffer.from(content.text ?? '', 'base64').toString('utf8') : (content?.text ?? '');
  return {
    method: e.request.method,
    url: e.request.url,
    status: e.response.status,
    contentType: content?.mimeType,
    body: text,
  };
}

/** What the OpenAPI document says of each answer: nothing when it conforms. */
function breachesOf(entries: HarEntry[]): { entry: HarEntry; breach: ContractBreach }[] {
  return entries.flatMap((entry) =>
    apiContract()
      .check(answerOf(entry))
      .map((breach) => ({ entry, breach })),
  );
}

/** What a fuzz run sent and got: every request Schemathesis made, from its HAR report. */
async function fuzz(app: DfApp, name: string, maxExamples: number, extra: string[]): Promise<HarEntry[]> {
  const st = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/ensure-schemathesis.sh')], {
    encoding: 'utf8',
  }).trim();
  const origin = app.baseUrl.replace(/\/api\/df$/, '');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `df-fuzz-${name}-`));
  const har = path.join(dir, 'run.har');
  // The checks are ours (below), on every answer: Schemathesis generates and sends. It runs in the
  // temporary folder: it keeps a cache of earlier crashes in its working directory, which would
  // make one run depend on the last.
  await run(
    st,
    [
      'run',
      `${origin}/api/openapi.json`,
      '--url',
      origin,
      '--phases',
      'examples,coverage,fuzzing',
      '--max-examples',
      String(maxExamples),
      '--seed',
      '20261125',
      '--workers',
      '2',
      '--checks',
      'not_a_server_error',
      '--no-shrink',
      '--generation-database',
      'none',
      '--request-timeout',
      '60',
      '--report',
      'har',
      '--report-har-path',
      har,
      ...extra,
    ],
    { cwd: dir, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 },
  ).catch((error: { stdout?: string; code?: number }) => {
    // A failed check exits non-zero; the HAR below says which answers, so only a crash stops here.
    if (!error.stdout?.includes('SUMMARY') && !error.stdout?.includes('Summary')) throw error;
  });
  const entries = (JSON.parse(await fs.readFile(har, 'utf8')) as { log: { entries: HarEntry[] } }).log.entries;
  await fs.rm(dir, { recursive: true, force: true });
  return entries;
}

/**
 * Whatever the generated requests managed to create in the engines goes again: a Flink job the
 * fuzzer started would hold a task slot the next tests need.
 */
async function removeFuzzedTasks(app: DfApp): Promise<void> {
  const { items } = await app.services.tasks.list({ sort: 'id', order: 'ASC', skip: 0, limit: 5000 });
  const quiet = { validateStatus: () => true, timeout: 10_000 };
  await Promise.all(
    items.map(async (t) => {
      if (t.connectorCategory === 'CONNECT')
        await axios
          .delete(`${app.config.kafkaConnectUrl}/connectors/${encodeURIComponent(t.connectUid)}`, quiet)
          .catch(() => undefined);
      const job = t.jobConfig?.flink_job_id;
      if (job)
        await axios.patch(`${app.config.flinkUrl}/jobs/${job}?mode=cancel`, undefined, quiet).catch(() => undefined);
    }),
  );
}

const describeAnswer = (e: HarEntry) =>
  `${e.request.method} ${e.request.url} → ${e.response.status} ${e.response.content?.text?.slice(0, 200) ?? ''}`;

function isErrorShape(e: HarEntry): boolean {
  try {
    const body = JSON.parse(e.response.content?.text ?? '') as {
      error?: { code?: unknown; message?: unknown };
      message?: unknown;
    };
    return (
      typeof body.error?.code === 'string' &&
      typeof body.error?.message === 'string' &&
      typeof body.message === 'string' &&
      body.message.startsWith(body.error.message)
    );
  } catch {
    return false;
  }
}

/**
 * The API fuzzed from its own OpenAPI document by Schemathesis (PyPI), on the real stack, without
 * a token and with an admin one: no answer is a 5xx, and every answer is one the document promises
 * (a documented status, its content type, a body its schema accepts).
 * Part of `npm run test:faults` (`npm run test:fuzz` alone): a run takes two to three minutes.
 */
describe('API fuzzing from /api/openapi.json (Schemathesis)', () => {
  let app: DfApp;
  const runs: Record<string, HarEntry[]> = {};

  beforeAll(async () => {
    // Operations answer 202 after a second instead of waiting up to ten for their run: a run the
    // fuzzer's request started (a transform, say) is not what this test looks at, its answer is.
    app = await startDfApp('fuzz', { DF_API_TOKENS: `${ADMIN}:admin`, DF_SYNC_WAIT_MS: '1000' });
    // Without a token every operation answers the same 401 before it reads its input, so a few
    // examples each show that; the admin run, past auth, is where generated input finds faults.
    runs.anonymous = await fuzz(app, 'anonymous', 3, []);
    runs.admin = await fuzz(app, 'admin', 25, ['--header', `Authorization: Bearer ${ADMIN}`]);
    for (const [name, entries] of Object.entries(runs)) {
      const byStatus = entries.reduce<Record<number, number>>(
        (n, e) => ({ ...n, [e.response.status]: (n[e.response.status] ?? 0) + 1 }),
        {},
      );
      const byCheck = breachesOf(entries).reduce<Partial<Record<ContractCheck, number>>>(
        (n, { breach }) => ({ ...n, [breach.check]: (n[breach.check] ?? 0) + 1 }),
        {},
      );
      const serverErrors = entries.filter((e) => e.response.status >= 500).length;
      process.stdout.write(
        `[fuzz] ${name}: ${entries.length} requests, ${serverErrors} 5xx, contract failures by check ${JSON.stringify(byCheck)}, by status ${JSON.stringify(byStatus)}\n`,
      );
    }
  }, 1_200_000);
  afterAll(async () => {
    if (app) await removeFuzzedTasks(app);
    await app?.close();
  });

  it('sends at least 1,000 generated requests in all, half of them with a valid admin token', () => {
    expect(runs.anonymous.length + runs.admin.length).toBeGreaterThanOrEqual(1000);
    expect(runs.admin.length).toBeGreaterThanOrEqual(500);
    // With a token the requests get past auth: validation, not 401, answers most of them.
    expect(runs.admin.filter((e) => e.response.status === 401).length).toBeLessThan(runs.admin.length / 10);
  });

  it('answers none of them with a 5xx', () => {
    const serverErrors = [...runs.anonymous, ...runs.admin].filter(
      (e) => e.response.status >= 500 && !/\/health$/.test(e.request.url),
    );
    expect(serverErrors.map(describeAnswer)).toEqual([]);
  });

  it('answers every request with a status its operation documents', () => {
    const undocumented = breachesOf([...runs.anonymous, ...runs.admin]).filter(
      ({ breach }) => breach.check === 'status-documented',
    );
    expect(undocumented.map(({ entry, breach }) => `${describeAnswer(entry)}: ${breach.message}`)).toEqual([]);
  });

  it('answers every request in the documented content type, with a body the documented schema accepts', () => {
    const misshapen = breachesOf([...runs.anonymous, ...runs.admin]).filter(
      ({ breach }) => breach.check !== 'status-documented',
    );
    expect(
      misshapen.map(({ entry, breach }) => `${describeAnswer(entry)}: [${breach.check}] ${breach.message}`),
    ).toEqual([]);
  });

  it('answers every refusal in the documented error shape { error: { code, message }, message }', () => {
    const refusals = [...runs.anonymous, ...runs.admin].filter((e) => e.response.status >= 400);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.filter((e) => !isErrorShape(e)).map(describeAnswer)).toEqual([]);
  });
});
