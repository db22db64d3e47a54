import { Db, MongoClient } from 'mongodb';
import { ENV_DEFAULTS } from '../../src/config';
import { stackEnv, uniqueName } from '../../test/support/stack';

export { REPO_ROOT } from '../../test/support/stack';

let env: Record<string, string> | undefined;

/**
 * The local stack's addresses (DF's defaults, or what the environment says) and its tool paths
 * (scripts/stack/stack.sh env), for the service a benchmark starts and for its own direct calls.
 */
export function benchEnv(): Record<string, string> {
  env ??= {
    ...ENV_DEFAULTS,
    // The local stack: no payload key needed (benchmarks measure DF, not encryption).
    DF_DEV_MODE: 'true',
    ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
    ...stackEnv(),
  };
  return env;
}

/** A database of its own on the stack's store, dropped by close(). */
export async function benchDb(prefix: string): Promise<{ name: string; db: Db; close(): Promise<void> }> {
  const client = await MongoClient.connect(benchEnv().MONGO_URL, { retryWrites: false });
  const name = uniqueName(prefix);
  const db = client.db(name);
  return {
    name,
    db,
    close: async () => {
      await db.dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}
