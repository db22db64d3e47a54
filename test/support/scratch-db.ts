import { Db, MongoClient } from 'mongodb';
import { loadConfig } from '../../src/config';
import { uniqueName } from './stack';

export interface ScratchDb {
  readonly client: MongoClient;
  readonly db: Db;
}

/**
 * A database of its own on the stack's store for the calling describe block: opened before its
 * tests (declare it before the hooks that use it) and dropped after them.
 */
export function useScratchDb(prefix: string): ScratchDb {
  let client: MongoClient | undefined;
  let name = '';
  beforeAll(async () => {
    client = await MongoClient.connect(loadConfig(process.env).mongo.url);
    name = uniqueName(prefix);
  });
  afterAll(async () => {
    await client
      ?.db(name)
      .dropDatabase()
      .catch(() => undefined);
    await client?.close();
  });
  const open = (): MongoClient => {
    if (!client) throw new Error('the scratch database is open only inside its describe block');
    return client;
  };
  return {
    get client() {
      return open();
    },
    get db() {
      return open().db(name);
    },
  };
}
