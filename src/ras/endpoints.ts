import axios, { AxiosAdapter, AxiosError, InternalAxiosRequestConfig } from 'axios';
import { maskUrlCredentials } from '../domain/secrets';

/** One URL a request could not reach, and why (the failure of that attempt). */
export interface FailedAttempt {
  url: string;
  error: AxiosError;
}

/**
 * The URLs of one service that any of them answers in full (the workers of one Kafka Connect
 * group, the instances of a registry). One is in use at a time; a connection failure moves it on
 * to the next, and it stays there while that one answers, so a healthy service sees one call per
 * request.
 */
export class Endpoints {
  private index = 0;

  constructor(readonly urls: readonly string[]) {
    if (urls.length === 0) throw new Error('a service needs at least one URL');
  }

  /** The URL requests go to now. */
  get current(): string {
    return this.urls[this.index];
  }

  /**
   * The URL a request that could not reach `failed` tries next, none when it has tried them all.
   * Only the request that failed on the URL in use moves it: requests failing at once on the same
   * dead URL move it one step, not one step each.
   */
  next(failed: string, tried: ReadonlySet<string>): string | undefined {
    if (this.current === failed) this.index = (this.index + 1) % this.urls.length;
    for (let step = 0; step < this.urls.length; step++) {
      const url = this.urls[(this.index + step) % this.urls.length];
      if (!tried.has(url)) return url;
    }
    return undefined;
  }
}

const attemptsOfError = new WeakMap<object, FailedAttempt[]>();

/** Every URL a request tried and could not reach, in order, when it failed over at least once. */
export function failedAttemptsOf(error: unknown): readonly FailedAttempt[] | undefined {
  return typeof error === 'object' && error !== null ? attemptsOfError.get(error) : undefined;
}

/**
 * No answer at all (refused, reset, no such host, timed out before a response): the request may
 * go to another URL. An HTTP answer of any status is the service speaking and is never retried
 * elsewhere, nor is a request its caller cancelled.
 */
function connectionFailure(error: unknown): error is AxiosError {
  return axios.isAxiosError(error) && !error.response && error.code !== AxiosError.ERR_CANCELED;
}

/** A body that can be sent again: a stream (an upload) is spent by the first attempt. */
function replayable(data: unknown): boolean {
  return (
    data === undefined ||
    data === null ||
    typeof data === 'string' ||
    Buffer.isBuffer(data) ||
    data instanceof ArrayBuffer ||
    ArrayBuffer.isView(data)
  );
}

/**
 * An axios adapter that sends each request to the URL in use and, when that URL gives no answer,
 * at once to the next ones until one answers or all have failed. The base adapter builds the
 * request's full URL from `baseURL`, so only that changes between attempts: the body, headers,
 * TLS agents and credentials are the same for every URL.
 */
export function failoverAdapter(endpoints: Endpoints, base: AxiosAdapter): AxiosAdapter {
  return async (config: InternalAxiosRequestConfig) => {
    const failed: FailedAttempt[] = [];
    const tried = new Set<string>();
    let url: string | undefined = endpoints.current;
    for (;;) {
      tried.add(url);
      try {
        return await base({ ...config, baseURL: url });
      } catch (error) {
        if (!connectionFailure(error) || !replayable(config.data)) throw error;
        failed.push({ url, error });
        url = endpoints.next(url, tried);
        if (url === undefined) {
          if (failed.length > 1) attemptsOfError.set(error, failed);
          throw error;
        }
      }
    }
  };
}

/** How /health names a service with several URLs: the one in use, and every one configured. */
export function endpointsShown(endpoints: Endpoints): { target: string; targets?: string[] } {
  const target = maskUrlCredentials(endpoints.current);
  return endpoints.urls.length > 1 ? { target, targets: endpoints.urls.map(maskUrlCredentials) } : { target };
}
