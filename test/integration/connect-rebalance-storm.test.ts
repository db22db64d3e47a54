import fs from 'node:fs/promises';
import path from 'node:path';
import { failTaskAndRestartIt, FileConnect, updateFileAndTasksMax } from '../support/connect-lifecycle';
import { ConnectRest, connectRest } from '../support/connect-rest';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';

const ROUNDS = 10;
const FILE_SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';

/**
 * Other connectors created and deleted on the same Kafka Connect, one after another, straight on
 * its REST API: every one makes the worker group rebalance. They read an empty file, so they
 * produce nothing.
 */
class RebalanceStorm {
  created = 0;
  deleted = 0;
  private running = true;
  private readonly live = new Set<string>();
  private readonly loop: Promise<void>;

  constructor(
    private readonly rest: ConnectRest,
    private readonly file: string,
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const name = uniqueName('it-storm');
      const config = {
        'connector.class': FILE_SOURCE,
        'tasks.max': '1',
        file: this.file,
        topic: uniqueName('it-storm-topic'),
      };
      // Kept to delete even when the answer is lost or refused: Connect may have created it anyway.
      this.live.add(name);
      const made = await this.rest.raw.post('/connectors', { name, config }).catch(() => undefined);
      if (made?.status === 201) this.created++;
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const old of [...this.live]) {
        const gone = await this.rest.raw.delete(`/connectors/${old}`).catch(() => undefined);
        if (gone && (gone.status === 204 || gone.status === 404)) {
          this.deleted++;
          this.live.delete(old);
        }
      }
    }
  }

  /** Stops the storm and deletes what it left, waiting out Connect's rebalances to do so. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    for (const name of this.live) await this.rest.delete(`/connectors/${name}`);
  }
}

/**
 * The update of a connect and its status following a change of the file it reads, ten times in a
 * row, while other connectors come and go on the same Kafka Connect (a rebalance storm): DF
 * answers each update once Connect has settled on it, and every step through DF goes through.
 */
describe('Connect LAUD: updates during a Kafka Connect rebalance storm', () => {
  let app: DfApp;
  let dir: string;
  let storm: RebalanceStorm;
  let life: FileConnect;
  const id = uniqueName('storm_fs');

  beforeAll(async () => {
    app = await startDfApp('connect_storm');
    dir = await dataTempDir(app, 'df-it-storm-');
    const file = path.join(dir, 'lines.txt');
    await fs.writeFile(file, 'alpha\n');
    const idle = path.join(dir, 'idle.txt');
    await fs.writeFile(idle, '');
    storm = new RebalanceStorm(connectRest(app.config), idle);
    const res = await app.api.post('/ps', {
      id,
      name: id,
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { 'tasks.max': '1', file, topic: uniqueName('it-storm-fs') },
    });
    expect({ status: res.status, state: res.data.status }).toEqual({ status: 201, state: 'RUNNING' });
    life = { app, id, dir, file };
  });

  afterAll(async () => {
    await storm?.stop();
    await app?.api.delete(`/ps/${id}`);
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    'round %i: updates the file and tasks.max, then sees the task fail on the new file and restarts it',
    async (round) => {
      await updateFileAndTasksMax(life, path.join(dir, `round-${round}.txt`), round % 2 === 0 ? '1' : '2');
      await failTaskAndRestartIt(life);
    },
  );

  it('kept other connectors coming and going on the same Kafka Connect throughout', () => {
    expect(storm.created).toBeGreaterThanOrEqual(ROUNDS);
    expect(storm.deleted).toBeGreaterThanOrEqual(ROUNDS);
  });
});
