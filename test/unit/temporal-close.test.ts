import { connectTemporal } from '../../src/temporal/client';
import { closableRetries } from '../../src/temporal/closable-retries';

// Nothing listens on port 1: every call fails at once with UNAVAILABLE, which the SDK retries.
const NOBODY = { address: '127.0.0.1:1' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("closing DF's Temporal client connection", () => {
  it('while a call waits to be retried: the call fails with its status, and no retry starts on the closed channel', async () => {
    const temporal = await connectTemporal(NOBODY, 'default', [], { lazy: true });
    const call = temporal.connection.workflowService.getSystemInfo({}).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await sleep(300); // past the first attempts: a retry is now scheduled
    await temporal.close();
    expect(await Promise.race([call, sleep(3000).then(() => 'no answer in 3 s')])).toMatch(/UNAVAILABLE/);
    // A retry started after close would throw "Channel has been shut down" from its timer and fail this suite.
    await sleep(1000);
  });

  it('schedules no retry once draining, and drains at once when none is scheduled', async () => {
    const retries = closableRetries();
    const started = Date.now();
    await retries.drain();
    expect(Date.now() - started).toBeLessThan(50);
  });
});
