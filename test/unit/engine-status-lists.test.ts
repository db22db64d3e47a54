import http from 'node:http';
import { AddressInfo } from 'node:net';
import { FlinkClient } from '../../src/ras/flink';
import { KafkaConnectClient } from '../../src/ras/kafka-connect';
import { dfFailureOf } from '../support/df-failure';

/** A fake engine answering every request with the given status and body text. */
async function fakeWorker(status: number, body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** Runs `use` against a fake engine giving this answer, and closes the engine after. */
async function withEngine(status: number, body: string, use: (url: string) => Promise<void>): Promise<void> {
  const engine = await fakeWorker(status, body);
  try {
    await use(engine.url);
  } finally {
    await engine.close();
  }
}

describe("KafkaConnectClient.listConnectorStatuses: every connector's status by name", () => {
  it('maps each connector to its status, and one with none to its name alone', async () => {
    const running = { name: 'a', connector: { state: 'RUNNING', worker_id: 'w:8083' }, tasks: [], type: 'source' };
    await withEngine(200, JSON.stringify({ a: { status: running }, b: {} }), async (url) => {
      const statuses = await new KafkaConnectClient(url).listConnectorStatuses();
      expect([...statuses]).toEqual([
        ['a', running],
        ['b', { name: 'b' }],
      ]);
    });
  });

  it("keeps Connect's own message when it refuses", async () => {
    await withEngine(500, JSON.stringify({ error_code: 500, message: 'Connect is starting' }), async (url) => {
      const failure = await dfFailureOf(new KafkaConnectClient(url, undefined, []).listConnectorStatuses());
      expect(failure.message).toContain('Connect is starting');
      expect(failure.message).not.toContain('error_code');
    });
  });

  it('fails on an answer that is not JSON, rather than reading statuses out of it', async () => {
    await withEngine(200, '{"a": {"status": ', async (url) => {
      await expect(new KafkaConnectClient(url).listConnectorStatuses()).rejects.toThrow(SyntaxError);
    });
  });
});

describe('FlinkClient.jobsOverview: every job Flink knows, with its task counts', () => {
  const job = (jid: string, state: string) => ({ jid, name: `job ${jid}`, state, tasks: { running: 1, total: 1 } });

  it('gives each job of the overview, in order', async () => {
    const jobs = Array.from({ length: 600 }, (_, i) => job(`j${i}`, i % 2 ? 'RUNNING' : 'FAILED'));
    await withEngine(200, JSON.stringify({ jobs }), async (url) => {
      expect(await new FlinkClient(url).jobsOverview()).toEqual(jobs);
    });
  });

  it('gives none when Flink runs no job', async () => {
    await withEngine(200, '{"jobs":[]}', async (url) => {
      expect(await new FlinkClient(url).jobsOverview()).toEqual([]);
    });
  });

  it("keeps Flink's own message when it refuses", async () => {
    await withEngine(503, JSON.stringify({ errors: ['JobManager is not the leader'] }), async (url) => {
      const failure = await dfFailureOf(new FlinkClient(url).jobsOverview());
      expect(failure.message).toContain('JobManager is not the leader');
    });
  });

  it('fails on an answer that is not JSON, rather than reading jobs out of it', async () => {
    await withEngine(200, '{"jobs":[{"jid":"a"},', async (url) => {
      await expect(new FlinkClient(url).jobsOverview()).rejects.toThrow(SyntaxError);
    });
  });
});
