import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { payloadCodecFor, PayloadKey } from './payload-codec';

export interface TemporalClient {
  client: Client;
  connection: Connection;
  /** The codec of this process's payloads (DF_PAYLOAD_KEY), shared by its worker and its /api/codec. */
  payloadCodec?: PayloadCodec;
  close(): Promise<void>;
}

/** One gRPC connection per process, shared by every API request; payloads encrypted when keys are given (DF_PAYLOAD_KEY). */
export async function connectTemporal(
  address: string,
  namespace: string,
  payloadKeys: readonly PayloadKey[] = [],
): Promise<TemporalClient> {
  const connection = await Connection.connect({ address, connectTimeout: '5 seconds' });
  const payloadCodec = payloadCodecFor(payloadKeys);
  const client = new Client({
    connection,
    namespace,
    ...(payloadCodec ? { dataConverter: { payloadCodecs: [payloadCodec] } } : {}),
  });
  return { client, connection, payloadCodec, close: () => connection.close() };
}
