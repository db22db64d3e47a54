import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { TemporalConnection } from './connection-config';
import { closableRetries } from './closable-retries';
import { clientConnectionOptions } from './connection-options';
import { payloadCodecFor, PayloadKey } from './payload-codec';

export interface TemporalClient {
  client: Client;
  connection: Connection;
  /** The codec of this process's payloads (DF_PAYLOAD_KEY), shared by its worker and its /api/codec. */
  payloadCodec?: PayloadCodec;
  /**
   * The same target without the SDK's retries, connected on first use: a failed check fails at once
   * with the transport's cause (TLS, refused) instead of retrying past any health-check timeout.
   */
  probe: Connection;
  close(): Promise<void>;
}

/**
 * One gRPC connection per process, shared by every API request, with the configured TLS and API
 * key; payloads encrypted when keys are given (DF_PAYLOAD_KEY). `lazy` connects on the first call
 * instead of now, so a process can start, and report the cause on /health, while Temporal is unreachable.
 */
export async function connectTemporal(
  target: TemporalConnection,
  namespace: string,
  payloadKeys: readonly PayloadKey[] = [],
  { lazy = false }: { lazy?: boolean } = {},
): Promise<TemporalClient> {
  const retries = closableRetries();
  const options = { ...clientConnectionOptions(target), interceptors: [retries.interceptor] };
  const connection = lazy ? Connection.lazy(options) : await Connection.connect(options);
  const payloadCodec = payloadCodecFor(payloadKeys);
  const client = new Client({
    connection,
    namespace,
    ...(payloadCodec ? { dataConverter: { payloadCodecs: [payloadCodec] } } : {}),
  });
  const probe = Connection.lazy({ ...clientConnectionOptions(target), interceptors: [] });
  return {
    client,
    connection,
    payloadCodec,
    probe,
    close: async () => {
      await retries.drain();
      await Promise.all([connection.close(), probe.close()]);
    },
  };
}
