import { Db, MongoClient, MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { DfError } from '../domain/errors';

export interface Store {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

/**
 * One MongoClient per process. retryWrites is off because FerretDB (the local store) has no
 * sessions or transactions; every write DataFibers makes is a single-document or idempotent
 * bulk write, so a retried activity repeats it safely instead.
 */
export async function connectStore(url: string, dbName: string): Promise<Store> {
  const client = new MongoClient(url, {
    retryWrites: false,
    serverSelectionTimeoutMS: 5000,
    connectTimeoutMS: 5000,
    maxPoolSize: 20,
  });
  await client.connect();
  return { client, db: client.db(dbName), close: () => client.close() };
}

/** A failure that means the store is away (not answering, connection lost), as the DfError callers answer with. */
export function storeUnavailable(error: unknown): DfError | undefined {
  if (!(error instanceof MongoServerSelectionError || error instanceof MongoNetworkError)) return undefined;
  return new DfError('STORE_ERROR', `the store does not answer: ${error.message}`, { cause: error });
}

/** An insert (or upsert) refused because the _id or a unique key is taken already (E11000). */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}
