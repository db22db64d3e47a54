import { Hono } from 'hono';
import { DfError } from '../../domain/errors';
import { isStoredJarName, storedJarName } from '../../domain/uploaded-jar';
import { workflowIds } from '../../protocol/workflow-ids';
import { jarDelete, jarUpload } from '../../../workflows/transform';
import type { OperationAdmission } from '../admission';
import { MAX_JAR_BYTES } from '../body-limit';
import { receiveJar } from '../jar-receiver';
import { answerWithOperation, OperationDeps } from '../operations';

/**
 * POST /uploaded_files: a job jar (multipart, any field name) is streamed to DF_DATA_DIR/uploads and
 * checked there (a zip with a manifest, at most what Flink takes), so a jar Flink loses (a restart)
 * can be given to it again, then handed to Flink by workflow jarUpload. Answers the original's
 * `uploaded_file_name` (the stored name, never a server path) plus the `jarId` a JAR transform names
 * in trans_jar. At most DF_MAX_UPLOADS are received at once: each holds a connection and a file
 * being written, and past that a client is told to come back (503, Retry-After).
 *
 * DELETE /uploaded_files/:jarId (Flink's jar id or the stored name): workflow jarDelete.
 */
export function uploadRoutes(deps: OperationDeps & { uploadDir: string; uploads: OperationAdmission }) {
  return new Hono()
    .post('/uploaded_files', async (c) => {
      if (!/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) {
        throw new DfError('VALIDATION_FAILED', 'expected a multipart/form-data upload with one jar file', {
          httpStatus: 415,
          details: { contentType: c.req.header('content-type') ?? null, expected: 'multipart/form-data' },
        });
      }
      const leave = deps.uploads.enter();
      try {
        const jar = await receiveJar(c.req.raw.body, c.req.header('content-type') ?? '', {
          uploadDir: deps.uploadDir,
          maxJarBytes: MAX_JAR_BYTES,
        });
        c.header('X-DF-Stored-As', jar.storedName);
        return await answerWithOperation(
          c,
          deps,
          jarUpload,
          {
            workflowId: workflowIds.jarUpload(jar.storedName),
            args: [{ storedName: jar.storedName }],
          },
          201,
          ({ jarId }) => ({
            uploaded_file_name: jar.storedName,
            jarId,
            name: jar.storedName,
            size: jar.size,
            sha256: jar.sha256,
          }),
        );
      } finally {
        leave();
      }
    })
    .delete('/uploaded_files/:jarId', async (c) => {
      const jarId = c.req.param('jarId');
      const storedName = storedJarName(jarId);
      if (!isStoredJarName(storedName)) {
        throw new DfError(
          'NOT_FOUND',
          `no uploaded jar ${jarId.slice(0, 200)}: expected a jarId or name POST /uploaded_files answered`,
          { details: { jarId } },
        );
      }
      return answerWithOperation(
        c,
        deps,
        jarDelete,
        { workflowId: workflowIds.jarDelete(storedName), args: [{ storedName }] },
        200,
      );
    });
}
