import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import axios from 'axios';
import { connectTemporal, TemporalClient } from '../../src/temporal/client';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { temporalCliPath, uniqueName } from '../support/stack';
import { connectRest } from '../support/connect-rest';

const run = promisify(execFile);

/** Every byte string in a history (payload bodies and metadata), as text to search. */
function bytesIn(value: unknown, out: string[] = []): string[] {
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('latin1'));
  else if (Array.isArray(value)) value.forEach((v) => bytesIn(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => bytesIn(v, out));
  return out;
}

/**
 * With DF_PAYLOAD_KEY set, what DF's workflows carry through Temporal (a connect's config with
 * its password) is ciphertext in the history, and only the codec endpoint turns it back.
 */
describe('workflow payloads encrypted in Temporal (DF_PAYLOAD_KEY)', () => {
  let app: DfApp;
  let plainClient: TemporalClient;
  let dir: string;
  const id = uniqueName('enc');
  const workflowId = `df-connect-add-${id}`;
  const connect = () => connectRest(app.config);

  beforeAll(async () => {
    app = await startDfApp('payload_key', { DF_PAYLOAD_KEY: `k1:${randomBytes(32).toString('base64')}` });
    plainClient = await connectTemporal(app.config.temporal.connection, app.config.temporal.namespace);
    dir = await dataTempDir(app, 'df-it-enc-');
    await fs.writeFile(path.join(dir, 'in.txt'), 'one\n');
    const res = await app.api.post('/ps', {
      id,
      name: 'encrypted add',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { file: path.join(dir, 'in.txt'), topic: uniqueName('it-enc'), 'db.password': 'hunter2' },
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await connect().delete(`/connectors/${id}`);
    await plainClient?.close();
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps no plaintext in the history: not the password, not the connector name', async () => {
    const history = await plainClient.client.workflow.getHandle(workflowId).fetchHistory();
    expect(history.events?.length).toBeGreaterThan(3);
    const text = bytesIn(history).join('\n');
    expect(text).toContain('binary/encrypted');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('FileStreamSource');
  });

  it('decodes the same payloads through /api/codec/decode, as the Temporal UI does', async () => {
    const history = await plainClient.client.workflow.getHandle(workflowId).fetchHistory();
    const input = history.events?.[0].workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    expect(input.length).toBe(1);
    const b64 = (b: Uint8Array | null | undefined) => Buffer.from(b ?? new Uint8Array()).toString('base64');
    const res = await axios.post(
      `${app.baseUrl.replace(/\/api\/df$/, '')}/api/codec/decode`,
      {
        payloads: input.map((p) => ({
          metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
          data: b64(p.data),
        })),
      },
      { headers: { 'X-Namespace': app.config.temporal.namespace } },
    );
    expect(res.status).toBe(200);
    const decoded = JSON.parse(Buffer.from(res.data.payloads[0].data, 'base64').toString('utf8'));
    expect(decoded).toMatchObject({ id, connectorConfig: { 'db.password': 'hunter2' } });
  });

  it('lets the CLI show the run in clear through the codec endpoint', async () => {
    const codecEndpoint = `${app.baseUrl.replace(/\/api\/df$/, '')}/api/codec`;
    const address = ['--address', app.config.temporal.address, '--namespace', app.config.temporal.namespace];
    const show = async (...extra: string[]) => {
      const { stdout } = await run(temporalCliPath(), [
        'workflow',
        'show',
        '-w',
        workflowId,
        ...address,
        ...extra,
        '-o',
        'json',
      ]);
      const [payload] = JSON.parse(stdout).events[0].workflowExecutionStartedEventAttributes.input.payloads;
      return {
        encoding: Buffer.from(payload.metadata.encoding, 'base64').toString(),
        data: Buffer.from(payload.data, 'base64').toString('latin1'),
      };
    };
    const withCodec = await show('--codec-endpoint', codecEndpoint);
    expect(withCodec.encoding).toBe('json/plain');
    expect(JSON.parse(withCodec.data)).toMatchObject({ id, connectorConfig: { 'db.password': 'hunter2' } });
    const without = await show();
    expect(without.encoding).toBe('binary/encrypted');
    expect(without.data).not.toContain('hunter2');
  });
});
