import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import { DfError } from '../../domain/errors';
import { validationError } from '../../domain/validation';
import { workflowIds } from '../../temporal/workflow-ids';
import { answerWithOperation, OperationDeps } from '../operations';

/** Flink's REST server takes up to 100 MiB by default (rest.server.max-content-length ~ 100 MiB). */
const MAX_JAR_BYTES = 100 * 1024 * 1024;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** A stored name that says what the jar is and which content: `<base>-<sha256 prefix>.jar`. */
function storedNameOf(fileName: string, sha256: string): string {
  const base = path.basename(fileName).replace(/\.jar$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 100) || 'job';
  return `${base}-${sha256.slice(0, 12)}.jar`;
}

/**
 * POST /uploaded_files: a job jar (multipart, any field name) is kept under DF_DATA_DIR/uploads, so
 * a jar Flink loses (a restart) can be given to it again, and handed to Flink by workflow jarUpload.
 * Answers the original's `uploaded_file_name` plus the `jarId` a JAR transform names in trans_jar.
 */
export function uploadRoutes(deps: OperationDeps & { uploadDir: string }) {
  return new Hono().post('/uploaded_files', async (c) => {
    if (!/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) {
      const contentType = c.req.header('content-type') ?? null;
      throw new DfError('VALIDATION_FAILED', 'expected a multipart/form-data upload with one jar file', {
        httpStatus: 415, details: { contentType, expected: 'multipart/form-data' },
      });
    }
    let form: Awaited<ReturnType<typeof c.req.parseBody>>;
    try {
      form = await c.req.parseBody({ all: true });
    } catch (error) {
      // A malformed multipart body (no boundary, cut short) is the caller's to fix.
      throw validationError(`the multipart body cannot be read: ${(error as Error).message}`, { file: ['a multipart/form-data body with one jar file'] });
    }
    const files = Object.values(form).flat().filter((v): v is File => typeof v === 'object' && v !== null && 'arrayBuffer' in v);
    if (files.length !== 1) {
      throw validationError(`expected one jar file, got ${files.length}`, { file: ['exactly one file per upload'] });
    }
    const file = files[0];
    if (file.size > MAX_JAR_BYTES) throw validationError(`the jar is ${file.size} bytes; Flink takes up to ${MAX_JAR_BYTES}`, { file: ['too large'] });
    const content = new Uint8Array(await file.arrayBuffer());
    if (!ZIP_MAGIC.every((b, i) => content[i] === b)) {
      throw validationError(`${file.name} is not a jar (no zip header)`, { file: ['expected a .jar (zip) file'] });
    }
    const sha256 = createHash('sha256').update(content).digest('hex');
    const storedName = storedNameOf(file.name, sha256);
    const stored = path.join(deps.uploadDir, storedName);
    await mkdir(deps.uploadDir, { recursive: true });
    // Written aside and renamed: a reader never sees half a jar.
    const partial = `${stored}.${randomUUID()}.part`;
    await writeFile(partial, content);
    await rename(partial, stored);
    c.header('X-DF-Stored-As', storedName);
    return answerWithOperation<{ jarId: string }>(c, deps, 'jarUpload', {
      workflowId: workflowIds.jarUpload(storedName), args: [{ storedName }],
    }, 201, ({ jarId }) => ({ uploaded_file_name: stored, jarId, name: storedName, size: file.size, sha256 }));
  });
}
