import { Client, Connection } from '@temporalio/client';
import { dataConverterFor, PayloadKey } from './payload-codec';

export interface TemporalClient {
  client: Client;
  connection: Connection;
  close(): Promise<void>;
}

/** One gRPC connection per process, shared by every API request; payloads encrypted when keys are given (DF_PAYLOAD_KEY). */
export async function connectTemporal(address: string, namespace: string, payloadKeys: readonly PayloadKey[] = []): Promise<TemporalClient> {
  const connection = await Connection.connect({ address, connectTimeout: '5 seconds' });
  const dataConverter = dataConverterFor(payloadKeys);
  const client = new Client({ connection, namespace, ...(dataConverter ? { dataConverter } : {}) });
  return { client, connection, close: () => connection.close() };
}
