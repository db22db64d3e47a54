import http from 'node:http';
import { AddressInfo } from 'node:net';
import { KafkaConnectClient } from '../../src/ras/kafka-connect';
import { FlinkClient } from '../../src/ras/flink';
import { dfFailureOf } from '../support/df-failure';

/** A fake Kafka Connect that answers every request with the status and body a test sets. */
function fakeConnect(): Promise<{
  url: string;
  reply: (status: number, body: unknown) => void;
  /** These answers one per request, the last one from then on. */
  replySequence: (answers: { status: number; body: unknown }[]) => void;
  close: () => Promise<void>;
}> {
  let next: { status: number; body: unknown } = { status: 200, body: [] };
  let queued: { status: number; body: unknown }[] = [];
  const server = http.createServer((_req, res) => {
    if (queued.length > 0) next = queued.shift() as { status: number; body: unknown };
    res.writeHead(next.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(next.body));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        reply: (status, body) => {
          next = { status, body };
          queued = [];
        },
        replySequence: (answers) => {
          queued = [...answers];
        },
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

describe('RAS failures', () => {
  let fake: Awaited<ReturnType<typeof fakeConnect>>;
  beforeAll(async () => {
    fake = await fakeConnect();
  });
  afterAll(() => fake.close());

  it('carries a 4xx with the RAS message, not retryable', async () => {
    fake.reply(400, { error_code: 400, message: 'Connector configuration is invalid' });
    const error = await dfFailureOf(new KafkaConnectClient(fake.url).listPlugins());
    expect(error.code).toBe('RAS_CLIENT_ERROR');
    expect(error.retryable).toBe(false);
    expect(error.httpStatus).toBe(400);
    expect(error.message).toContain('Connector configuration is invalid');
    expect(error.details).toMatchObject({
      ras: 'kafka-connect',
      status: 400,
      rasMessage: 'Connector configuration is invalid',
    });
  });

  it('keeps 404 and 409 as such', async () => {
    fake.reply(404, { error_code: 404, message: 'Connector x not found' });
    expect((await dfFailureOf(new KafkaConnectClient(fake.url).listPlugins())).httpStatus).toBe(404);
    fake.reply(409, { error_code: 409, message: 'Cannot complete request because of a conflicting operation' });
    expect((await dfFailureOf(new KafkaConnectClient(fake.url).listPlugins())).httpStatus).toBe(409);
  });

  it('retries a 429 like a server error', async () => {
    fake.reply(429, { message: 'slow down' });
    expect((await dfFailureOf(new KafkaConnectClient(fake.url).listPlugins())).retryable).toBe(true);
  });

  it('treats a 5xx as retryable, answered as 502 with the RAS message', async () => {
    fake.reply(500, { error_code: 500, message: 'Request timed out' });
    const error = await dfFailureOf(new KafkaConnectClient(fake.url).listPlugins());
    expect(error).toMatchObject({ code: 'RAS_SERVER_ERROR', retryable: true, httpStatus: 502 });
    expect(error.message).toContain('Request timed out');
  });

  it('retries a Kafka Connect 409 that a rebalance answers, not one that names a real conflict', async () => {
    fake.reply(409, {
      error_code: 409,
      message: 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)',
    });
    expect(await dfFailureOf(new KafkaConnectClient(fake.url, undefined, []).listPlugins())).toMatchObject({
      code: 'RAS_CLIENT_ERROR',
      retryable: true,
      httpStatus: 409,
    });
    fake.reply(409, {
      error_code: 409,
      message:
        'Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)',
    });
    expect(await dfFailureOf(new KafkaConnectClient(fake.url).listPlugins())).toMatchObject({ retryable: true });
    fake.reply(409, { error_code: 409, message: 'Connector df_x already exists' });
    expect(await dfFailureOf(new KafkaConnectClient(fake.url).listPlugins())).toMatchObject({
      retryable: false,
      httpStatus: 409,
    });
  });

  it('asks Kafka Connect again while it refuses a request because its group rebalances, and gives up past a few seconds', async () => {
    const refusals = [
      {
        status: 500,
        body: { error_code: 500, message: 'Request cannot be completed because a rebalance is expected' },
      },
      {
        status: 409,
        body: {
          error_code: 409,
          message: 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)',
        },
      },
      {
        status: 503,
        body: { error_code: 503, message: 'Request cannot be completed while a rebalance is in progress' },
      },
    ];
    // Connect's own waits, shortened.
    const connect = () => new KafkaConnectClient(fake.url, undefined, [10, 10, 10]);
    for (const refusal of refusals) {
      fake.replySequence([refusal, refusal, { status: 200, body: { 'connector.class': 'FileStreamSource' } }]);
      expect(await connect().getConnectorConfig('c1')).toEqual({ 'connector.class': 'FileStreamSource' });
    }
    fake.reply(500, refusals[0].body);
    const error = await dfFailureOf(connect().getConnectorConfig('c1'));
    expect(error).toMatchObject({
      code: 'RAS_SERVER_ERROR',
      retryable: true,
      message: expect.stringContaining('a rebalance is expected'),
    });
    fake.reply(409, refusals[1].body);
    expect(await dfFailureOf(connect().listPlugins())).toMatchObject({
      code: 'RAS_CLIENT_ERROR',
      retryable: true,
      httpStatus: 409,
    });
  });

  it('takes a Kafka Connect 404 without its JSON error body as not serving yet (starting), not as a missing connector', async () => {
    fake.reply(404, '<html><head><title>Error 404 Not Found</title></head></html>');
    const starting = await dfFailureOf(new KafkaConnectClient(fake.url).status('c1'));
    expect(starting).toMatchObject({ code: 'RAS_UNREACHABLE', retryable: true, httpStatus: 503 });
    expect(starting.message).toMatch(/does not serve its API yet/);
    expect(starting.message).not.toContain('<html>');
    fake.reply(404, { error_code: 404, message: 'No status found for connector c1' });
    expect(await new KafkaConnectClient(fake.url).status('c1')).toBeUndefined();
  });

  it('reads Flink-style error lists', async () => {
    fake.reply(400, { errors: ['Job could not be found.'] });
    const error = await dfFailureOf(new KafkaConnectClient(fake.url).listPlugins());
    expect((error.details as { rasMessage: string }).rasMessage).toBe('Job could not be found.');
  });

  it('reports an unreachable RAS as retryable 503 naming the address', async () => {
    const error = await dfFailureOf(new KafkaConnectClient('http://127.0.0.1:1', 2000).listPlugins());
    expect(error).toMatchObject({ code: 'RAS_UNREACHABLE', retryable: true, httpStatus: 503 });
    expect(error.message).toContain('http://127.0.0.1:1/connector-plugins');
  });

  describe('Flink', () => {
    /** A Flink 2.3 answer as the real JobManager gives it: the message lines wrapped in a server-side stack trace. */
    const serverSide = (...lines: string[]) => ({
      errors: [
        'Internal server error.',
        `<Exception on server side:\n${lines.join('\n\tat org.apache.flink.runtime.webmonitor.handlers.utils.JarHandlerUtils$JarHandlerContext.toPackagedProgram(JarHandlerUtils.java:204)\n\t... 41 more\n')}\n\nEnd of exception on server side>`,
      ],
    });
    const UPLOADS = '/data/flink/uploads/flink-web-upload';

    it('answers a jar Flink cannot open as a 400 at once, with its message line and no server path', async () => {
      fake.reply(
        500,
        serverSide(
          `java.util.concurrent.CompletionException: org.apache.flink.client.program.ProgramInvocationException: Error while opening jar file '${UPLOADS}/0b8b_fake.jar'`,
          `Caused by: java.io.IOException: Error while opening jar file '${UPLOADS}/0b8b_fake.jar'`,
          'Caused by: java.util.zip.ZipException: zip END header not found',
        ),
      );
      const error = await dfFailureOf(new FlinkClient(fake.url).planJar('0b8b_fake.jar', {}));
      expect(error).toMatchObject({ code: 'RAS_CLIENT_ERROR', retryable: false, httpStatus: 400 });
      expect(error.message).toBe(
        "flink cannot run the jar: Error while opening jar file '0b8b_fake.jar'; zip END header not found",
      );
      expect(JSON.stringify(error.details)).not.toContain(UPLOADS);
    });

    it('answers an entry class the jar does not hold as a 400 at once', async () => {
      fake.reply(
        500,
        serverSide(
          "java.util.concurrent.CompletionException: org.apache.flink.client.program.ProgramInvocationException: The program's entry point class 'df.test.Missing' was not found in the jar file.",
        ),
      );
      const error = await dfFailureOf(
        new FlinkClient(fake.url).runJar('x.jar', { jobId: '0'.repeat(32), entryClass: 'df.test.Missing' }),
      );
      expect(error).toMatchObject({ code: 'RAS_CLIENT_ERROR', retryable: false, httpStatus: 400 });
      expect(error.message).toBe(
        "flink cannot run the jar: The program's entry point class 'df.test.Missing' was not found in the jar file.",
      );
    });

    it('keeps any other Flink 500 retryable, its message without stack frames', async () => {
      fake.reply(
        500,
        serverSide(
          'java.util.concurrent.CompletionException: java.util.concurrent.TimeoutException: Invocation of [RemoteRpcInvocation(DispatcherGateway.requestJob)] timed out',
        ),
      );
      const error = await dfFailureOf(new FlinkClient(fake.url).overview());
      expect(error).toMatchObject({ code: 'RAS_SERVER_ERROR', retryable: true, httpStatus: 502 });
      expect((error.details as { rasMessage: string }).rasMessage).toBe(
        'Invocation of [RemoteRpcInvocation(DispatcherGateway.requestJob)] timed out',
      );
      expect(error.message).not.toContain('\tat ');
    });

    it('takes a delete of a jar Flink does not have (its 400 "does not exist") as already gone', async () => {
      fake.reply(400, {
        errors: [
          `org.apache.flink.runtime.rest.handler.RestHandlerException: File 0b8b_x.jar does not exist in ${UPLOADS}.\n\tat org.apache.flink.runtime.webmonitor.handlers.JarDeleteHandler.lambda$handleRequest$0(JarDeleteHandler.java:80)\n`,
        ],
      });
      expect(await new FlinkClient(fake.url).deleteJar('0b8b_x.jar')).toBe(false);
      fake.reply(200, {});
      expect(await new FlinkClient(fake.url).deleteJar('0b8b_x.jar')).toBe(true);
    });
  });
});
