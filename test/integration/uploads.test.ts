import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';
import { DfApp, startDfApp } from '../support/df-app';
import { buildCountingJobJar } from '../support/job-jar';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';
import { buildZip } from '../support/zip-builder';

const BOUNDARY = '----df-upload-spec';
const MiB = 1024 * 1024;

/** An upload sent piece by piece (chunked, no Content-Length), as a slow or large client sends it. */
function streamingUpload(url: string) {
  let answered = false;
  const req = http.request(url, {
    method: 'POST',
    headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Transfer-Encoding': 'chunked' },
  });
  const answer = new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
  answer.catch(() => undefined);
  req.write(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.jar"\r\nContent-Type: application/java-archive\r\n\r\nPK\u0003\u0004`,
  );
  return {
    req,
    answer: () => answer,
    /** Writes `bytes` more of the file, waiting for the socket to take them. */
    async send(bytes: number) {
      const chunk = Buffer.alloc(MiB, 0x61);
      for (let left = bytes; left > 0; left -= chunk.length) {
        if (req.destroyed || answered) return;
        if (!req.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) {
          await new Promise<void>((resolve) => {
            const done = () => {
              req.off('drain', done);
              req.off('close', done);
              resolve();
            };
            req.on('drain', done);
            req.on('close', done);
          });
        }
      }
    },
    end() {
      if (!req.destroyed && !answered) req.end(`\r\n--${BOUNDARY}--\r\n`);
    },
  };
}

describe('Jar uploads: streamed to disk, checked, bounded, deletable', () => {
  let app: DfApp;
  let dataDir: string;
  let countingJar: Buffer;
  const uploadDir = () => app.config.transforms.uploadDir;
  const flink = () => axios.create({ baseURL: app.config.flinkUrl, validateStatus: () => true });
  const kept = async () => await fs.readdir(uploadDir()).catch(() => [] as string[]);
  const flinkJarIds = async () => ((await flink().get('/jars')).data.files as { id: string }[]).map((j) => j.id);
  const flinkJobNames = async () =>
    ((await flink().get('/jobs/overview')).data.jobs as { name: string }[]).map((j) => j.name);

  async function upload(fileName: string, content: Buffer) {
    const form = new FormData();
    form.append('file', new Blob([content]), fileName);
    return app.api.post('/uploaded_files', form);
  }

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'df-uploads-spec-'));
    // A whole minute for each operation: the shared machine is slow, and a 202 here would hide the answer.
    app = await startDfApp('uploads', { DF_DATA_DIR: dataDir, DF_SYNC_WAIT_MS: '60000' });
    countingJar = await fs.readFile(await buildCountingJobJar());
  });

  afterAll(async () => {
    await app?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a fake jar (zip magic, no manifest) or a zip without a manifest with 400, keeping no file', async () => {
    const fake = await upload('fake.jar', Buffer.from('PK\u0003\u0004 and then nothing a JVM could open'));
    expect(fake.status).toBe(400);
    expect(fake.data.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/"fake\.jar" is not a jar Flink can open: it is not a readable zip/),
    });
    const noManifest = await upload('classes.jar', buildZip([{ name: 'df/Job.class', content: 'cafebabe' }]));
    expect(noManifest.status).toBe(400);
    expect(noManifest.data.error.message).toMatch(/it has no META-INF\/MANIFEST\.MF/);
    const notZip = await upload('readme.jar', Buffer.from('just text'));
    expect(notZip.status).toBe(400);
    expect(notZip.data.error.message).toMatch(/not a jar \(no zip header\)/);
    expect(await kept()).toEqual([]);
  });

  it('keeps a real jar, answering its stored name and no server path; DELETE removes it from DF and Flink, then 404', async () => {
    const res = await upload('counting-job.jar', countingJar);
    expect(res.status).toBe(201);
    const { name, jarId } = res.data;
    expect(res.data).toEqual({
      uploaded_file_name: name,
      jarId,
      name: expect.stringMatching(/^counting-job-[0-9a-f]{12}\.jar$/),
      size: countingJar.length,
      sha256: expect.any(String),
    });
    expect(JSON.stringify(res.data)).not.toContain(dataDir);
    expect(JSON.stringify(res.data)).not.toContain('/');
    expect(await kept()).toEqual([name]);
    expect(await flinkJarIds()).toContain(jarId);

    const del = await app.api.delete(`/uploaded_files/${jarId}`);
    expect(del.status).toBe(200);
    expect(del.data).toEqual({ deleted: true, name, flinkJarIds: [jarId] });
    expect(await kept()).toEqual([]);
    expect(await flinkJarIds()).not.toContain(jarId);
    const again = await app.api.delete(`/uploaded_files/${name}`);
    expect(again.status).toBe(404);
    expect(again.data.error.message).toContain(`no uploaded jar ${name}`);
    expect((await app.api.delete('/uploaded_files/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
  });

  it('refuses a jar larger than Flink takes with 413 while it streams, keeping no file', async () => {
    const big = streamingUpload(`${app.baseUrl}/uploaded_files`);
    await big.send(100 * MiB + 64 * 1024);
    big.end();
    const answer = await big.answer();
    big.req.destroy();
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: { limitBytes: 100 * MiB },
    });
    expect(await kept()).toEqual([]);
  });

  it('refuses uploads past DF_MAX_UPLOADS (2) with 503 and Retry-After; an upload cut short leaves no file', async () => {
    const stalled = [
      streamingUpload(`${app.baseUrl}/uploaded_files`),
      streamingUpload(`${app.baseUrl}/uploaded_files`),
    ];
    await Promise.all(stalled.map((s) => s.send(MiB)));
    const refused = await eventually('a third upload refused', async () => {
      const res = await upload('fake.jar', Buffer.from('PK\u0003\u0004'));
      return res.status === 503 ? res : undefined;
    });
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.data.error).toMatchObject({
      code: 'OVERLOADED',
      message: expect.stringContaining('DF_MAX_UPLOADS'),
    });
    await eventually('both uploads being written', async () =>
      (await kept()).filter((f) => f.endsWith('.part')).length === 2 ? true : undefined,
    );

    for (const s of stalled) s.req.destroy();
    await eventually('no file left of the uploads cut short', async () =>
      (await kept()).length === 0 ? true : undefined,
    );
    const next = await eventually('uploads taken again', async () => {
      const res = await upload('fake.jar', Buffer.from('PK\u0003\u0004'));
      return res.status === 503 ? undefined : res;
    });
    expect(next.status).toBe(400);
  });

  it('answers a JAR transform on a jar Flink cannot open, or without its entry class, with 400 at once, creating nothing', async () => {
    // A jar DF would refuse, given to Flink directly (as one uploaded before DF checked them).
    const form = new FormData();
    form.append('jarfile', new Blob([Buffer.from('PK\u0003\u0004 not a zip')]), 'fake.jar');
    const fakeId = String((await flink().post('/jars/upload', form)).data.filename)
      .split('/')
      .pop() as string;
    const jobName = uniqueName('df-never');
    const badId = uniqueName('badjar');
    const unopenable = await app.api.post('/tr', {
      id: badId,
      name: 'Bad jar',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_JAR',
      connectorConfig: { trans_jar: fakeId, trans_jar_class: 'df.test.CountingJob', trans_jar_para: jobName },
    });
    expect(unopenable.status).toBe(400);
    expect(unopenable.data.error.message).toMatch(/zip END header not found/);
    expect(unopenable.data.error.message).not.toMatch(/\tat |flink-web-upload\//);
    expect((await app.api.get(`/tr/${badId}`)).status).toBe(404);
    await flink().delete(`/jars/${fakeId}`);

    const jar = await upload('counting-job.jar', countingJar);
    expect(jar.status).toBe(201);
    const id = uniqueName('noclass');
    const missingClass = await app.api.post('/tr', {
      id,
      name: 'Missing class',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_JAR',
      connectorConfig: { trans_jar: jar.data.jarId, trans_jar_class: 'df.test.Missing', trans_jar_para: jobName },
    });
    expect(missingClass.status).toBe(400);
    expect(missingClass.data.error.message).toContain(
      "entry point class 'df.test.Missing' was not found in the jar file",
    );
    expect((await app.api.get(`/tr/${id}`)).status).toBe(404);
    expect(await flinkJobNames()).not.toContain(jobName);
    expect((await app.api.delete(`/uploaded_files/${jar.data.jarId}`)).status).toBe(200);
  });

  it('refuses to delete a jar while a JAR transform names it (409), and deletes it once the transform is gone', async () => {
    const jar = await upload('counting-job.jar', countingJar);
    expect(jar.status).toBe(201);
    const id = uniqueName('usesjar');
    const tr = await app.api.post('/tr', {
      id,
      name: 'Counting',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_JAR',
      connectorConfig: {
        trans_jar: jar.data.jarId,
        trans_jar_class: 'df.test.CountingJob',
        trans_jar_para: uniqueName('df-counting'),
      },
    });
    expect(tr.status).toBe(201);
    const inUse = await app.api.delete(`/uploaded_files/${jar.data.name}`);
    expect(inUse.status).toBe(409);
    expect(inUse.data.error).toMatchObject({ code: 'CONFLICT', details: { transforms: [id] } });
    expect(await kept()).toEqual([jar.data.name]);

    expect((await app.api.delete(`/tr/${id}`, { params: { mode: 'cancel' } })).status).toBe(200);
    expect((await app.api.delete(`/uploaded_files/${jar.data.jarId}`)).status).toBe(200);
    expect(await kept()).toEqual([]);
  });
});
