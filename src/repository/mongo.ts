import {
  Db,
  MongoBulkWriteError,
  MongoClient,
  MongoClientOptions,
  MongoExpiredSessionError,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { DfError } from '../domain/errors';
import { StoreWatchdog } from './store-watchdog';

export interface Store {
  client: MongoClient;
  db: Db;
  /** Closes and reopens the client; collections handed out before keep working through it. */
  reconnect(): Promise<void>;
  /** Why the client has not reached the store since it was opened, in plain words; undefined once it has. */
  awayCause(): string | undefined;
  /**
   * A failure of a call on this store that means it is away, as the DfError callers answer with;
   * undefined for any other failure.
   */
  unavailable(error: unknown): DfError | undefined;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Called when the watchdog reconnected a client that had stopped seeing an answering store. */
  onReconnect?(unknownMs: number): void;
  /** How long the client may see no store before the watchdog asks a fresh connection (default 20 s). */
  watchdogAfterMs?: number;
  /** TLS files for a store that needs them beyond what its URL says. */
  tls?: StoreTls;
  /** Called when the first connection fails, and again whenever the cause changes while the client keeps trying. */
  onAway?(cause: string): void;
  /** Called when the client reaches the store after its first connection failed. */
  onAnswering?(): void;
}

export interface StoreTls {
  /** PEM of the CA(s) the store's certificate chains to. */
  caFile?: string;
  /** One PEM file with the client certificate and its key. */
  certificateKeyFile?: string;
}

/** The driver's options for these TLS files: giving one means TLS, whatever the URL leaves unsaid. */
function tlsOptions(tls: StoreTls | undefined): MongoClientOptions {
  if (!tls?.caFile && !tls?.certificateKeyFile) return {};
  return {
    tls: true,
    ...(tls.caFile ? { tlsCAFile: tls.caFile } : {}),
    ...(tls.certificateKeyFile ? { tlsCertificateKeyFile: tls.certificateKeyFile } : {}),
  };
}

const CLIENT_OPTIONS = {
  retryWrites: false,
  serverSelectionTimeoutMS: 5000,
  connectTimeoutMS: 5000,
  maxPoolSize: 20,
} as const;

/** The pause between connection attempts while the store is away: doubling from the first to the most. */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 15_000;

/**
 * One MongoClient per process. retryWrites is off because FerretDB (the local store) has no
 * sessions or transactions; every write DataFibers makes is a single-document or idempotent
 * bulk write, so a retried activity repeats it safely instead.
 *
 * A store that does not answer at start does not stop DF: the Store is returned all the same, its
 * calls fail as the store being away until a connection attempt in the background succeeds (the
 * driver does not connect again by itself once its first connect failed).
 */
export async function connectStore(url: string, dbName: string, options: StoreOptions = {}): Promise<Store> {
  const clientOptions = { ...CLIENT_OPTIONS, ...tlsOptions(options.tls) };
  const client = new MongoClient(url, clientOptions);
  let connected = false;
  let closed = false;
  let cause: string | undefined;
  // The latest failed connection of a client that has not reached its store yet. Such a client
  // fails every call at once with "Topology is closed"; this says why instead.
  let lastAwayCause: unknown;
  let retry: NodeJS.Timeout | undefined;
  const reconnect = async (): Promise<void> => {
    await client.close();
    await client.connect();
  };
  const unknownForMs = options.watchdogAfterMs ?? 20_000;
  const watchdog = new StoreWatchdog({
    unknownForMs,
    probe: () => freshConnectionAnswers(url, clientOptions),
    reconnect,
    onReconnect: options.onReconnect,
  });
  client.on('topologyDescriptionChanged', (event) => watchdog.observe(event.newDescription.hasKnownServers));
  const attempt = async (): Promise<boolean> => {
    try {
      await client.connect();
      connected = true;
      lastAwayCause = undefined;
      return true;
    } catch (error) {
      if (closed) return false;
      lastAwayCause = error;
      const now = plainStoreFailure(error);
      if (now !== cause) options.onAway?.(now);
      cause = now;
      return false;
    }
  };
  const retryAfter = (delay: number): void => {
    retry = setTimeout(() => {
      void attempt().then((answered) => {
        if (answered) options.onAnswering?.();
        else if (!closed) retryAfter(Math.min(delay * 2, RETRY_MAX_MS));
      });
    }, delay);
    retry.unref();
  };
  if (!(await attempt())) retryAfter(RETRY_FIRST_MS);
  // The watchdog looks after a client that had a connection; until then the retries above do.
  const timer = setInterval(
    () => void (connected ? watchdog.check().catch(() => undefined) : undefined),
    Math.max(1000, unknownForMs / 4),
  );
  timer.unref();
  return {
    client,
    db: client.db(dbName),
    reconnect,
    awayCause: () => (connected ? undefined : cause),
    unavailable: (error) => storeUnavailable(error, lastAwayCause),
    close: async () => {
      closed = true;
      clearInterval(timer);
      clearTimeout(retry);
      // A closed client's calls fail for being closed, not for the cause it last met.
      if (!connected) lastAwayCause = undefined;
      await client.close();
    },
  };
}

/** Whether a connection of its own, opened now, gets an answer from the store. */
async function freshConnectionAnswers(url: string, clientOptions: MongoClientOptions): Promise<boolean> {
  const probe = new MongoClient(url, {
    ...clientOptions,
    serverSelectionTimeoutMS: 2000,
    connectTimeoutMS: 2000,
    maxPoolSize: 1,
  });
  try {
    await probe.connect();
    await probe.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await probe.close().catch(() => undefined);
  }
}

/**
 * Why the store cannot be used, in plain words: the TLS handshake's verdict, refused credentials,
 * or the network's, read from the driver's error and its causes (which never carry the URL's password).
 */
export function plainStoreFailure(error: unknown): string {
  const texts: string[] = [];
  let codeName: string | undefined;
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    texts.push(cause.message);
    if (cause instanceof MongoServerError && cause.code === 18) codeName = 'AuthenticationFailed';
  }
  const text = texts.join(' | ');
  if (
    /self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate/i.test(
      text,
    )
  )
    return 'TLS: certificate signed by an unknown authority (give its CA in MONGO_TLS_CA_FILE)';
  if (/certificate has expired/i.test(text)) return 'TLS: certificate has expired';
  if (/certificate required|alert handshake failure|alert bad certificate|alert unknown ca/i.test(text))
    return 'TLS: the store refused the client certificate, or wanted one (MONGO_TLS_CERT_KEY_FILE)';
  if (codeName || /authentication failed/i.test(text))
    return 'authentication failed (check the user, password and authSource in MONGO_URL)';
  if (/ECONNREFUSED/.test(text)) return `connection refused: ${texts[0]}`;
  // A TLS store hangs up on a client that does not start TLS, before any answer.
  if (/^connection( <monitor>)? to \S+ closed$/.test(texts[0] ?? ''))
    return 'the store closed the connection without an answer (a store that wants TLS does so to a plaintext client: tls=true in MONGO_URL, or MONGO_TLS_CA_FILE)';
  return texts[0] ?? String(error);
}

/**
 * A failure that means the store is away (not answering, connection lost), as the DfError callers
 * answer with; awayCause, the failure of the client's latest connection, says why a client that
 * never reached its store refuses a call.
 */
export function storeUnavailable(error: unknown, awayCause?: unknown): DfError | undefined {
  // The last two: a call caught by the watchdog's reconnect of the client (see StoreWatchdog).
  const away =
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNetworkError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoExpiredSessionError;
  if (!away) return undefined;
  const why = error instanceof MongoTopologyClosedError && awayCause !== undefined ? awayCause : error;
  return new DfError('STORE_ERROR', `the store does not answer: ${plainStoreFailure(why)}`, { cause: error });
}

/** An insert (or upsert) refused because the _id or a unique key is taken already (E11000). */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

/**
 * The positions of the documents an unordered bulk insert left out because their _id or unique
 * key was taken, when that is the only reason it gave; undefined when anything else went wrong.
 */
export function duplicateKeyRefusals(error: MongoBulkWriteError): number[] | undefined {
  const refusals = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return refusals.length > 0 && refusals.every((w) => w.code === 11000) ? refusals.map((w) => w.index) : undefined;
}
