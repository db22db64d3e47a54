import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { DfError } from '../domain/errors';
import { storedNameOf } from '../domain/uploaded-jar';
import { validationError } from '../domain/validation';
import { jarProblem, ZIP_MAGIC } from '../zip/jar-check';
import { boundaryOf, MultipartError, MultipartParser, PartHeaders } from './multipart-stream';

/** A jar received whole and checked, under its stored name in the upload directory. */
export interface ReceivedJar {
  storedName: string;
  size: number;
  sha256: string;
}

/** Uploads in progress are written here, beside the jars, and renamed into place once checked. */
export const PARTIAL_PREFIX = '.upload-';

const shown = (fileName: string) => JSON.stringify(fileName.slice(0, 200));

/**
 * The one file of a multipart body written to a temporary file as it arrives: its first bytes must
 * be a zip's, its size stays within maxJarBytes (checked as it grows), and once whole it must be a
 * jar a JVM can open. Only then is it renamed to its stored name; whatever goes wrong (bad input,
 * too large, the client gone) removes the temporary file.
 */
export async function receiveJar(
  body: ReadableStream<Uint8Array> | null,
  contentType: string,
  options: { uploadDir: string; maxJarBytes: number },
): Promise<ReceivedJar> {
  const boundary = boundaryOf(contentType);
  if (!boundary || !body) {
    throw validationError(
      `the multipart body cannot be read: ${boundary ? 'the request has no body' : 'its Content-Type names no boundary'}`,
      {
        file: ['a multipart/form-data body with one jar file'],
      },
    );
  }
  await mkdir(options.uploadDir, { recursive: true });
  const partial = path.join(options.uploadDir, `${PARTIAL_PREFIX}${randomUUID()}.part`);
  const hash = createHash('sha256');
  let file: FileHandle | undefined;
  let fileName: string | undefined;
  let files = 0;
  let inFile = false;
  let size = 0;
  let head = Buffer.alloc(0);

  const parser = new MultipartParser(boundary, {
    async part(headers: PartHeaders) {
      inFile = headers.fileName !== undefined;
      if (!inFile) return;
      files++;
      if (files > 1)
        throw validationError('expected one jar file, got more', { file: ['exactly one file per upload'] });
      fileName = headers.fileName || 'job.jar';
      file = await open(partial, 'wx');
    },
    async data(chunk: Buffer) {
      if (!inFile || !file) return;
      size += chunk.length;
      if (size > options.maxJarBytes) {
        throw new DfError(
          'PAYLOAD_TOO_LARGE',
          `${shown(fileName ?? '')} is larger than ${options.maxJarBytes} bytes, the most Flink takes`,
          {
            details: { limitBytes: options.maxJarBytes },
          },
        );
      }
      if (head.length < ZIP_MAGIC.length) {
        head = Buffer.concat([head, chunk.subarray(0, ZIP_MAGIC.length - head.length)]);
        if (head.length === ZIP_MAGIC.length) checkMagic(head);
      }
      hash.update(chunk);
      await file.write(chunk);
    },
    partEnd() {
      inFile = false;
    },
  });

  function checkMagic(bytes: Buffer) {
    if (bytes.length < ZIP_MAGIC.length || !ZIP_MAGIC.every((b, i) => bytes[i] === b)) {
      throw validationError(`${shown(fileName ?? '')} is not a jar (no zip header)`, {
        file: ['expected a .jar (zip) file'],
      });
    }
  }

  try {
    const reader = body.getReader();
    try {
      for (;;) {
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch {
          throw validationError('the upload was cut short (the client went away)', { file: ['the whole file'] });
        }
        if (next.done) break;
        await parser.write(next.value);
        if (parser.finished) break;
      }
      await parser.end();
    } finally {
      // Released, not cancelled: cancelling would reset the connection before the client reads the
      // refusal; the server drains what is left of the body once it has answered.
      reader.releaseLock();
    }
    if (files === 0 || !file)
      throw validationError('expected one jar file, got 0', { file: ['exactly one file per upload'] });
    checkMagic(head);
    await file.close();
    file = undefined;
    const problem = await jarProblem(partial);
    if (problem)
      throw validationError(`${shown(fileName ?? '')} is not a jar Flink can open: ${problem}`, { file: [problem] });
    const sha256 = hash.digest('hex');
    const storedName = storedNameOf(fileName ?? 'job.jar', sha256);
    // Renamed only when whole and checked: a reader never sees half a jar or a refused one.
    await rename(partial, path.join(options.uploadDir, storedName));
    return { storedName, size, sha256 };
  } catch (error) {
    await file?.close().catch(() => undefined);
    await rm(partial, { force: true });
    if (error instanceof MultipartError) {
      throw validationError(`the multipart body cannot be read: ${error.message}`, {
        file: ['a multipart/form-data body with one jar file'],
      });
    }
    throw error;
  }
}
