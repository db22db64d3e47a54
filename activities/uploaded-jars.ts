import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TransformSettings } from '../src/config';
import { DfError } from '../src/domain/errors';
import { isStoredJarName, storedJarName } from '../src/domain/uploaded-jar';
import type { FlinkClient } from '../src/ras/flink';
import type { TaskRepository } from '../src/repository/task-repository';

export interface UploadedJarDeps {
  flink: FlinkClient;
  tasks: TaskRepository;
  transformSettings: TransformSettings;
}

/** Where an uploaded jar is: DF's copy, and the ids Flink holds it under. */
export interface UploadedJarPresence {
  kept: boolean;
  flinkJarIds: string[];
}

/** Activities over the jars DF keeps for Flink (POST /uploaded_files) and Flink's copies of them. */
export function createUploadedJarActivities({ flink, tasks, transformSettings }: UploadedJarDeps) {
  const fileOf = (storedName: string) => {
    // Names come from the API's path: only the stored shape may become a path in the directory.
    if (!isStoredJarName(storedName))
      throw new DfError('NOT_FOUND', `no uploaded jar ${storedName}`, { details: { jarId: storedName } });
    return path.join(transformSettings.uploadDir, storedName);
  };

  return {
    /**
     * Where the jar is, refused with 409 while a JAR transform names it: DF hands Flink its copy
     * again when a transform is resubmitted (restart, rollback, Flink lost the jar).
     */
    async findUploadedJar(storedName: string): Promise<UploadedJarPresence> {
      const file = fileOf(storedName);
      const users = (await tasks.byConnectorType('TRANSFORM_EXCHANGE_FLINK_JAR'))
        .filter((t) => storedJarName(t.connectorConfig.trans_jar ?? '') === storedName)
        .map((t) => t.id);
      if (users.length) {
        throw new DfError(
          'CONFLICT',
          `jar ${storedName} is used by transform ${users.join(', ')}: delete or change those first`,
          {
            details: { jarId: storedName, transforms: users },
          },
        );
      }
      const kept = await stat(file).then(
        () => true,
        () => false,
      );
      const flinkJarIds = (await flink.jars()).filter((j) => j.name === storedName).map((j) => j.id);
      return { kept, flinkJarIds };
    },

    /** Removes the jar from Flink and DF's copy; what is already gone counts as removed. */
    async removeUploadedJar(storedName: string): Promise<UploadedJarPresence> {
      const file = fileOf(storedName);
      const flinkJarIds = (await flink.jars()).filter((j) => j.name === storedName).map((j) => j.id);
      for (const id of flinkJarIds) await flink.deleteJar(id);
      await rm(file, { force: true });
      return { kept: false, flinkJarIds };
    },
  };
}

export type UploadedJarActivities = ReturnType<typeof createUploadedJarActivities>;
