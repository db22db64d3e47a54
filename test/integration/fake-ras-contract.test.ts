import axios from 'axios';
import { loadConfig } from '../../src/config';
import { connectRest } from '../support/connect-rest';
import { FakeRas, startFakeRas } from '../../bench/support/fake-ras';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

/** The keys of a JSON value, recursively ("a.b", arrays as "[]"), to compare payload shapes. */
function shape(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length ? shape(value[0], `${prefix}[]`) : [`${prefix}[]`];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...shape(v, `${prefix}${k}.`)]);
  }
  return [];
}

/**
 * The benchmarks' FAKE Kafka Connect answers DF's calls with the real one's payload shapes: every
 * field the real service gives on these paths, the fake gives too, so a benchmark against the fake
 * exercises the code paths the real service does.
 */
describe('bench FAKE Kafka Connect against the real one', () => {
  const config = loadConfig();
  const real = connectRest(config);
  let fake: FakeRas;
  let fakeHttp: ReturnType<typeof axios.create>;
  const name = uniqueName('fake-contract');
  const body = {
    name,
    config: {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'tasks.max': '1',
      file: '/tmp/df-fake-contract.txt',
      topic: name,
    },
  };

  beforeAll(async () => {
    fake = await startFakeRas({ latencyMs: 0 });
    fakeHttp = axios.create({ baseURL: fake.connectUrl });
    await real.post('/connectors', body);
    await fakeHttp.post('/connectors', body);
    await eventually(
      'the real connector running',
      async () => ((await real.get(`/connectors/${name}/status`)).data.tasks?.length ? true : undefined),
      30_000,
    );
  });
  afterAll(async () => {
    await real.delete(`/connectors/${name}`).catch(() => undefined);
    await fake?.close();
  });

  const paths: [string, string][] = [
    ['status', `/connectors/${name}/status`],
    ['info', `/connectors/${name}`],
    ['plugins', '/connector-plugins?connectorsOnly=true'],
    ['expanded list', '/connectors?expand=status&expand=info'],
  ];
  it.each(paths)('%s: every field the real answer has', async (_what, path) => {
    const pick = (data: unknown) => (path.includes('expand') ? (data as Record<string, unknown>)[name] : data);
    const realShape = new Set(shape(pick((await real.get(path)).data)));
    const fakeShape = new Set(shape(pick((await fakeHttp.get(path)).data)));
    expect([...realShape].filter((k) => !fakeShape.has(k) && !k.endsWith('trace'))).toEqual([]);
  });

  it('validate: every field the real answer has, for each config entry', async () => {
    const path = `/connector-plugins/${encodeURIComponent(body.config['connector.class'])}/config/validate`;
    const realShape = new Set(shape((await real.put(path, body.config)).data));
    const fakeShape = new Set(shape((await fakeHttp.put(path, body.config)).data));
    expect([...realShape].filter((k) => !fakeShape.has(k))).toEqual([]);
  });

  it("answers 404 and 409 with Kafka Connect's error body", async () => {
    const missing = await fakeHttp.get('/connectors/nope/status', { validateStatus: () => true });
    const realMissing = await real.get('/connectors/nope/status');
    expect(missing.status).toBe(realMissing.status);
    expect(Object.keys(missing.data).sort()).toEqual(Object.keys(realMissing.data).sort());
    const again = await fakeHttp.post('/connectors', body, { validateStatus: () => true });
    expect(again.status).toBe(409);
    expect(Object.keys(again.data).sort()).toEqual(['error_code', 'message']);
  });
});
