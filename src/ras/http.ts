import axios, { AxiosError, AxiosInstance } from 'axios';
import { DfError, isDfError } from '../domain/errors';
import { maskUrlCredentials } from '../domain/secrets';
import { flinkMessageOf, refusedJarReason } from './flink-errors';
import { plainAuthRefusal, plainNetworkCause } from './reach-failure';
import { Endpoints, failedAttemptsOf, failoverAdapter } from './endpoints';
import { agentsFor, authorizationOf, ServiceAccess } from './service-access';

/** The remote APIs DataFibers drives; named in every error so users know which one failed. */
export type RasName = 'kafka-connect' | 'flink' | 'flink-sql-gateway' | 'schema-registry' | 'kafka';

export interface RasErrorDetails {
  ras: RasName;
  method: string;
  url: string;
  status?: number;
  rasMessage?: string;
  /** Every URL the request tried, when the service has several and none could be reached. */
  triedUrls?: string[];
}

/** The axios instance of one service, and the URLs it sends requests to. */
export interface RasHttp {
  http: AxiosInstance;
  endpoints: Endpoints;
}

/**
 * The axios instance of one service: its URL (or, of several, the one in use), its TLS material
 * and its credentials on every request.
 */
export function rasHttp(access: string | ServiceAccess, timeoutMs = 10000): RasHttp {
  const service: ServiceAccess = typeof access === 'string' ? { url: access } : access;
  const authorization = authorizationOf(service);
  const endpoints = new Endpoints([service.url, ...(service.alternateUrls ?? [])]);
  const http = axios.create({
    baseURL: service.url,
    timeout: timeoutMs,
    ...agentsFor(service),
    headers: { Accept: 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
    // Status codes are judged by rasError, so that a RAS's own message is never lost.
    validateStatus: (status) => status >= 200 && status < 300,
    ...(endpoints.urls.length > 1
      ? { adapter: failoverAdapter(endpoints, axios.getAdapter(axios.defaults.adapter)) }
      : {}),
  });
  return { http, endpoints };
}

/** The axios instance of one service at one URL. */
export function createRasHttp(access: string | ServiceAccess, timeoutMs = 10000): AxiosInstance {
  return rasHttp(access, timeoutMs).http;
}

/**
 * An axios response transform for a body asked for as bytes (to be parsed in slices): an error's
 * body is decoded and parsed as JSON, so rasError finds the engine's message in it; a success's
 * stays bytes.
 */
export function errorBodyAsJson(data: unknown, _headers: unknown, status?: number): unknown {
  if (status !== undefined && status >= 200 && status < 300) return data;
  const text = Buffer.isBuffer(data) ? data.toString('utf8') : data;
  if (typeof text !== 'string') return data;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Pulls the human message out of each RAS's error body (Connect, registry, Flink, gateway). */
export function rasMessageOf(body: unknown): string | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body === 'string') return body.slice(0, 2000);
  if (typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (typeof b.message === 'string') return b.message;
    if (Array.isArray(b.errors)) return b.errors.map(String).join('; ').slice(0, 2000);
    if (typeof b.error === 'string') return b.error;
  }
  return JSON.stringify(body).slice(0, 2000);
}

// 408/425/429 say "not now", not "never": worth a retry like a 5xx.
const RETRYABLE_4XX = new Set([408, 425, 429]);

/**
 * Kafka Connect answers 409 both for a real conflict (the connector exists) and while its group
 * rebalances ("Cannot complete request because of a conflicting operation (e.g. worker
 * rebalance)", "... momentarily due to stale configuration", "... no known leader URL"): the
 * second kind passes by itself, as after a restart of Connect.
 */
const CONNECT_MOMENTARY_409 = /rebalance|momentarily|conflicting operation/i;

/**
 * Kafka Connect refuses a request with 409, 500 or 503 while its group rebalances ("Request cannot
 * be completed because a rebalance is expected", "... rebalance in progress"): the worker did
 * nothing, and the same request goes through once the rebalance is over.
 */
const CONNECT_REBALANCE = /rebalanc/i;

function momentary(ras: RasName, status: number, rasMessage: string | undefined): boolean {
  return ras === 'kafka-connect' && status === 409 && CONNECT_MOMENTARY_409.test(rasMessage ?? '');
}

function rebalanceRefusal(ras: RasName, status: number, rasMessage: string | undefined): boolean {
  return ras === 'kafka-connect' && [409, 500, 503].includes(status) && CONNECT_REBALANCE.test(rasMessage ?? '');
}

/**
 * Whether Kafka Connect's answer (status and message) refuses the request only for now: a rebalance,
 * or a worker that has not read another client's config change yet.
 */
export function connectRefusesForNow(status: number, message: string): boolean {
  return momentary('kafka-connect', status, message) || rebalanceRefusal('kafka-connect', status, message);
}

/** Whether this failure is Kafka Connect refusing a request while its group rebalances. */
export function connectRebalancing(error: unknown): boolean {
  if (!isDfError(error)) return false;
  const details = error.details as Partial<RasErrorDetails> | undefined;
  return (
    details?.ras !== undefined &&
    details.status !== undefined &&
    rebalanceRefusal(details.ras, details.status, details.rasMessage)
  );
}

/**
 * Every answer of Kafka Connect's own API, errors included, is JSON with `error_code`. A 404 without
 * it comes from the web server before Connect has mounted its API (the first seconds of a start):
 * "not there yet", never "no such connector", or a restarting Connect would make connectors LOST.
 */
function notServingYet(ras: RasName, status: number, body: unknown): boolean {
  return (
    ras === 'kafka-connect' && status === 404 && !(typeof body === 'object' && body !== null && 'error_code' in body)
  );
}

/** Which credentials a failed request carried, read from its header without keeping the header. */
function carriedAuth(e: AxiosError): 'basic' | 'bearer' | 'none' {
  const header = String(e.config?.headers?.Authorization ?? '');
  return header.startsWith('Basic ') ? 'basic' : header.startsWith('Bearer ') ? 'bearer' : 'none';
}

/**
 * The cause a DfError keeps of an axios failure: its message and code only. The axios error holds
 * the request's config and headers, credentials included, and a log line or a serialized failure
 * could show them.
 */
function causeOf(e: AxiosError): Error {
  const cause = new Error(maskUrlCredentials(e.message));
  cause.name = e.name;
  if (e.code) Object.assign(cause, { code: e.code });
  return cause;
}

/** The URL a failed request went to, without credentials. */
function urlOf(e: AxiosError): string {
  return maskUrlCredentials(`${e.config?.baseURL ?? ''}${e.config?.url ?? ''}`);
}

/** What kept a request from getting any answer, in plain words. */
function unreachableReason(ras: RasName, e: AxiosError): string {
  return plainNetworkCause(ras, e.code, maskUrlCredentials(e.message));
}

/** Maps any failure of a RAS call to DfError: 4xx not retryable, 5xx and network faults retryable. */
export function rasError(ras: RasName, error: unknown): DfError {
  if (!axios.isAxiosError(error)) {
    return new DfError('INTERNAL', `${ras} call failed: ${String(error)}`, { details: { ras }, cause: error });
  }
  const e = error as AxiosError;
  const method = (e.config?.method ?? 'get').toUpperCase();
  const url = urlOf(e);
  if (!e.response) {
    const attempts = failedAttemptsOf(e);
    if (attempts) {
      // Every URL of the service was tried: each is named with what kept it from answering.
      const tried = attempts.map((a) => ({ url: urlOf(a.error), reason: unreachableReason(ras, a.error) }));
      const details: RasErrorDetails = { ras, method, url, triedUrls: tried.map((t) => t.url) };
      const each = tried.map((t) => `${t.url}: ${t.reason}`).join('; at ');
      return new DfError('RAS_UNREACHABLE', `${ras} unreachable at ${each}`, { details, cause: causeOf(e) });
    }
    const details: RasErrorDetails = { ras, method, url };
    return new DfError('RAS_UNREACHABLE', `${ras} unreachable at ${url}: ${unreachableReason(ras, e)}`, {
      details,
      cause: causeOf(e),
    });
  }
  const status = e.response.status;
  if (status === 401 || status === 403) {
    // DF's own credentials are at fault, not the request: the service stays out of reach until they are fixed.
    return new DfError('RAS_UNREACHABLE', `${ras} at ${url}: ${plainAuthRefusal(ras, status, carriedAuth(e))}`, {
      details: { ras, method, url, status },
      cause: causeOf(e),
    });
  }
  if (notServingYet(ras, status, e.response.data)) {
    return new DfError(
      'RAS_UNREACHABLE',
      `${ras} at ${url} does not serve its API yet (a 404 without its error body): it is starting, or the URL points elsewhere`,
      {
        details: { ras, method, url, status },
        cause: causeOf(e),
      },
    );
  }
  const rasMessage =
    ras === 'flink'
      ? (flinkMessageOf(e.response.data) ?? rasMessageOf(e.response.data))
      : rasMessageOf(e.response.data);
  const details: RasErrorDetails = { ras, method, url, status, rasMessage };
  const message = `${ras} answered ${status} to ${method} ${e.config?.url ?? ''}: ${rasMessage ?? e.message}`;
  const refusedJar = ras === 'flink' && status >= 500 ? refusedJarReason(e.response.data) : undefined;
  if (refusedJar) {
    // Flink answers 500 for a jar it cannot run; asking again gives the same answer, so it is bad input.
    return new DfError('RAS_CLIENT_ERROR', `flink cannot run the jar: ${refusedJar}`, {
      httpStatus: 400,
      retryable: false,
      details: { ...details, rasMessage: refusedJar },
      cause: causeOf(e),
    });
  }
  if (status >= 500) return new DfError('RAS_SERVER_ERROR', message, { details, cause: causeOf(e) });
  return new DfError('RAS_CLIENT_ERROR', message, {
    httpStatus: status === 404 ? 404 : status === 409 ? 409 : 400,
    retryable:
      RETRYABLE_4XX.has(status) || momentary(ras, status, rasMessage) || rebalanceRefusal(ras, status, rasMessage),
    details,
    cause: causeOf(e),
  });
}

/** Runs one RAS call and returns its body, turning every failure into a DfError. */
export async function rasCall<T>(ras: RasName, call: () => Promise<{ data: T }>): Promise<T> {
  try {
    return (await call()).data;
  } catch (error) {
    throw rasError(ras, error);
  }
}

/** Runs a RAS read and answers undefined when the RAS says the thing does not exist (404). */
export async function absentOn404<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isDfError(error) && error.httpStatus === 404) return undefined;
    throw error;
  }
}
