/**
 * A multipart/form-data body (RFC 7578) read as it arrives: each part's headers, then its content
 * in pieces, never the whole body in memory. What is held at any time is one chunk, a boundary's
 * length of look-behind, or one part's headers (bounded).
 */

export interface PartHeaders {
  /** The form field's name. */
  name?: string;
  /** Set for a file part (the sender's file name, without any directory). */
  fileName?: string;
  contentType?: string;
}

export interface PartHandler {
  part(headers: PartHeaders): void | Promise<void>;
  data(chunk: Buffer): void | Promise<void>;
  partEnd(): void | Promise<void>;
}

/** The body is not the multipart/form-data it says it is; the message says where it goes wrong. */
export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
  }
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;

/** The boundary of a multipart Content-Type, or undefined when it has none. */
export function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

function dispositionParam(disposition: string, param: string): string | undefined {
  const quoted = new RegExp(`;\\s*${param}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition);
  if (quoted) return quoted[1].replace(/\\(.)/g, '$1');
  return new RegExp(`;\\s*${param}=([^;\\s]+)`, 'i').exec(disposition)?.[1];
}

export function parsePartHeaders(block: string): PartHeaders {
  const headers: PartHeaders = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-type') headers.contentType = value;
    if (key === 'content-disposition') {
      const name = dispositionParam(value, 'name');
      if (name !== undefined) headers.name = name;
      const extended = dispositionParam(value, 'filename\\*');
      const fileName = extended !== undefined ? decodeExtended(extended) : dispositionParam(value, 'filename');
      // Browsers on Windows have sent whole paths: only the last segment names the file.
      if (fileName !== undefined) headers.fileName = fileName.split(/[\\/]/).pop() ?? '';
    }
  }
  return headers;
}

/** RFC 5987 `charset''percent-encoded` (filename*), as sent for names outside ASCII. */
function decodeExtended(value: string): string {
  const at = value.indexOf("''");
  try {
    return decodeURIComponent(at >= 0 ? value.slice(at + 2) : value);
  } catch {
    return value;
  }
}

type State = 'preamble' | 'afterBoundary' | 'headers' | 'body' | 'done';

/** Push parser: write() each chunk as it arrives (awaiting it keeps the handler's pace), then end(). */
export class MultipartParser {
  private state: State = 'preamble';
  private pending: Buffer = Buffer.alloc(0);
  private readonly dashBoundary: Buffer;
  private readonly delimiter: Buffer;

  constructor(
    boundary: string,
    private readonly handler: PartHandler,
  ) {
    this.dashBoundary = Buffer.from(`--${boundary}`);
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  get finished(): boolean {
    return this.state === 'done';
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.state === 'done') return;
    let buffer = this.pending.length
      ? Buffer.concat([this.pending, chunk])
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.pending = Buffer.alloc(0);
    for (;;) {
      const rest = await this.step(buffer);
      if (rest === undefined) return;
      buffer = rest;
    }
  }

  async end(): Promise<void> {
    if (this.state !== 'done') throw new MultipartError('the body ends before its closing boundary');
  }

  /** Consumes what it can of buffer; answers what is left to go on with, or undefined to wait for more. */
  private async step(buffer: Buffer): Promise<Buffer | undefined> {
    switch (this.state) {
      case 'preamble': {
        const at = buffer.indexOf(this.dashBoundary);
        if (at < 0) {
          this.pending = Buffer.from(buffer.subarray(Math.max(0, buffer.length - this.dashBoundary.length + 1)));
          return undefined;
        }
        this.state = 'afterBoundary';
        return buffer.subarray(at + this.dashBoundary.length);
      }
      case 'afterBoundary': {
        // The boundary is followed by "--" (the last one) or by optional spaces and CRLF.
        let i = 0;
        while (i < buffer.length && (buffer[i] === 0x20 || buffer[i] === 0x09)) i++;
        if (buffer.length - i < 2) {
          this.pending = buffer;
          return undefined;
        }
        if (buffer[i] === 0x2d && buffer[i + 1] === 0x2d) {
          this.state = 'done';
          return undefined;
        }
        if (buffer[i] !== CRLF[0] || buffer[i + 1] !== CRLF[1])
          throw new MultipartError('a boundary is not followed by a line break');
        this.state = 'headers';
        return buffer.subarray(i + 2);
      }
      case 'headers': {
        // A part with no headers has its blank line at once.
        const empty = buffer.length >= 2 && buffer[0] === CRLF[0] && buffer[1] === CRLF[1];
        const at = empty ? -2 : buffer.indexOf(HEADER_END);
        if (!empty && at < 0) {
          if (buffer.length > MAX_HEADER_BYTES)
            throw new MultipartError(`a part's headers are longer than ${MAX_HEADER_BYTES} bytes`);
          this.pending = buffer;
          return undefined;
        }
        await this.handler.part(empty ? {} : parsePartHeaders(buffer.toString('utf8', 0, at)));
        this.state = 'body';
        return buffer.subarray(at + HEADER_END.length);
      }
      case 'body': {
        const at = buffer.indexOf(this.delimiter);
        if (at < 0) {
          // What could be the start of a delimiter waits for the next chunk; the rest is content.
          const keep = Math.min(buffer.length, this.delimiter.length - 1);
          if (buffer.length > keep) await this.handler.data(buffer.subarray(0, buffer.length - keep));
          this.pending = Buffer.from(buffer.subarray(buffer.length - keep));
          return undefined;
        }
        if (at > 0) await this.handler.data(buffer.subarray(0, at));
        await this.handler.partEnd();
        this.state = 'afterBoundary';
        return buffer.subarray(at + this.delimiter.length);
      }
      default:
        return undefined;
    }
  }
}
