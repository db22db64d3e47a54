import { Db, MongoClient } from 'mongodb';

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
