import type { ConfigVersion, ConfigVersionInput, ConfigVersionStore } from '../../src/domain/config-version';

/**
 * FAKE version store for workflow specs that run without a store: the same answers as
 * VersionRepository (whose own spec runs on the real store), kept in memory.
 */
export class FakeConfigVersionStore implements ConfigVersionStore {
  private readonly byTask = new Map<string, ConfigVersion[]>();

  async keep(input: ConfigVersionInput, run: { workflowId: string; runId: string }, at: Date): Promise<ConfigVersion> {
    const kept = this.byTask.get(input.taskId) ?? [];
    const again = kept.find((v) => v.workflowId === run.workflowId && v.runId === run.runId);
    if (again) return again;
    const version: ConfigVersion = { ...input, version: kept.length + 1, at: at.toISOString(), ...run };
    this.byTask.set(input.taskId, [...kept, version]);
    return version;
  }

  async get(taskId: string, version: number): Promise<ConfigVersion | undefined> {
    return this.byTask.get(taskId)?.find((v) => v.version === version);
  }

  /** Every version kept of the task, oldest first. */
  of(taskId: string): ConfigVersion[] {
    return this.byTask.get(taskId) ?? [];
  }
}
