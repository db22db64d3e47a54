import axios, { AxiosError, AxiosInstance, AxiosResponse } from 'axios';
import { apiContract, ApiAnswer, describeBreaches } from './api-contract';

/**
 * Test clients of the API held to its OpenAPI document: an answer the document does not promise
 * (status, content type, schema) rejects the request with what is wrong.
 */

/** Axios on the API that never throws on a status, only on a breach of the document. */
export function conformingClient(baseURL: string): AxiosInstance {
  const api = axios.create({ baseURL, validateStatus: () => true });
  api.interceptors.response.use(conforming);
  return api;
}

const held = new Map<string, number>();

/**
 * Holds the answers that specs get with axios itself (`axios.get(url)`) from this origin to the
 * document too, until the returned function is called. Other origins (the engines) pass unchecked.
 */
export function holdAnswersFrom(origin: string): () => void {
  installOnDefaultAxios();
  held.set(origin, (held.get(origin) ?? 0) + 1);
  return () => {
    const n = (held.get(origin) ?? 1) - 1;
    if (n > 0) held.set(origin, n);
    else held.delete(origin);
  };
}

let installed = false;
function installOnDefaultAxios(): void {
  if (installed) return;
  installed = true;
  axios.interceptors.response.use(
    (res) => (isHeld(res) ? conforming(res) : res),
    // axios's own default refuses non-2xx: those answers are held to the document as well.
    (error: unknown) => {
      const res = (error as AxiosError).response;
      if (res && isHeld(res)) conforming(res);
      throw error;
    },
  );
}

function isHeld(res: AxiosResponse): boolean {
  return held.has(new URL(axios.getUri(res.config)).origin);
}

function conforming(res: AxiosResponse): AxiosResponse {
  const answer = answerOf(res);
  const breaches = apiContract().check(answer);
  if (breaches.length > 0) throw new Error(describeBreaches(answer, breaches));
  return res;
}

function answerOf(res: AxiosResponse): ApiAnswer {
  const contentType = res.headers['content-type'];
  const data: unknown = res.data;
  const body = Buffer.isBuffer(data)
    ? data.toString('utf8')
    : data instanceof ArrayBuffer
      ? Buffer.from(data).toString('utf8')
      : data;
  return {
    method: res.config.method ?? 'get',
    url: axios.getUri(res.config),
    status: res.status,
    contentType: typeof contentType === 'string' ? contentType : undefined,
    body,
  };
}
