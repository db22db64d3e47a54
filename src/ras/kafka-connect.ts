import { AxiosInstance } from 'axios';
import type { ConnectorFieldCheck } from '../domain/connector-fields';
import type { ConnectorOffset, ConnectorOffsets } from '../domain/connect-offsets';
import { InstalledPlugin } from '../domain/installed';
import type { ConnectStatusReport } from '../domain/status';
import type { StringMap } from '../domain/task';
import { DfError, isDfError } from '../domain/errors';
import type { Endpoints } from './endpoints';
import { absentOn404, connectRebalancing, errorBodyAsJson, rasCall, rasHttp } from './http';
import { eachObjectMember } from './json-slices';
import type { ServiceAccess } from './service-access';

/** One entry of a validate answer: a config key Kafka Connect knows, with its errors. */
export type ConnectConfigCheck = ConnectorFieldCheck;

export interface ConnectValidation {
  name: string;
  error_count: number;
  configs: ConnectConfigCheck[];
}

export interface ConnectorInfo {
  name: string;
  config: StringMap;
  tasks: { connector: string; task: number }[];
  type?: string;
}

const enc = encodeURIComponent;

// Bodiless PUT/POST: axios would label them form-urlencoded, which Connect's JSON resources refuse (415).
const NO_BODY = { headers: { 'Content-Type': 'application/json' } };

const VALIDATE_TIMEOUT_MS = 45_000;

/**
 * Waits before asking again after a rebalance refusal: a rebalance of Connect's group mostly takes
 * well under a second, one that new members join a few; past these the caller's retries take over.
 */
const REBALANCE_RETRY_DELAYS_MS = [100, 250, 500, 1000, 1000, 2000];

/** Kafka Connect REST API (https://kafka.apache.org/documentation/#connect_rest). */
export class KafkaConnectClient {
  private readonly http: AxiosInstance;
  /** The workers' URLs, and the one in use. */
  readonly endpoints: Endpoints;

  constructor(
    /** Its URL, or how to reach it: URL(s), TLS material, credentials. */
    access: string | ServiceAccess,
    timeoutMs?: number,
    private readonly rebalanceRetryDelaysMs = REBALANCE_RETRY_DELAYS_MS,
  ) {
    ({ http: this.http, endpoints: this.endpoints } = rasHttp(access, timeoutMs));
  }

  /** One call to Kafka Connect, asked again while Connect refuses it because its group rebalances. */
  private async call<T>(call: () => Promise<{ data: T }>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await rasCall('kafka-connect', call);
      } catch (error) {
        if (attempt >= this.rebalanceRetryDelaysMs.length || !connectRebalancing(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, this.rebalanceRetryDelaysMs[attempt]));
      }
    }
  }

  /** Worker version and the Kafka cluster id: the cheapest call that proves Connect answers. */
  info(): Promise<{ version: string; commit: string; kafka_cluster_id: string }> {
    return this.call(() => this.http.get('/'));
  }

  listPlugins(): Promise<InstalledPlugin[]> {
    // connectorsOnly=true (the default) leaves out converters and transformations.
    return this.call(() => this.http.get('/connector-plugins', { params: { connectorsOnly: true } }));
  }

  /**
   * Checks a config against the plugin's definitions without creating anything. A plugin's
   * validators may reach its external system first (the MongoDB connectors wait out a 10 s server
   * selection when no store answers), so this call gets longer than the client's other calls.
   */
  async validate(connectorClass: string, config: StringMap): Promise<ConnectValidation> {
    try {
      return await this.call(() =>
        this.http.put(`/connector-plugins/${enc(connectorClass)}/config/validate`, config, {
          timeout: VALIDATE_TIMEOUT_MS,
        }),
      );
    } catch (error) {
      // Kafka Connect answers a class it does not have with a 500; that is the caller's 404.
      if (!isDfError(error) || error.code !== 'RAS_SERVER_ERROR') throw error;
      const plugins = await this.listPlugins();
      if (plugins.some((p) => p.class === connectorClass)) throw error;
      throw new DfError('NOT_FOUND', `connector class ${connectorClass} is not installed in Kafka Connect`, {
        details: { class: connectorClass, installed: plugins.map((p) => p.class) },
      });
    }
  }

  /**
   * Every connector with its status and config in one call: what a status-sync round reads,
   * however many connectors there are.
   */
  listConnectorsExpanded(): Promise<Record<string, { status?: ConnectStatusReport; info?: ConnectorInfo }>> {
    // Repeated `expand` parameters, spelled out: axios would write expand[]=….
    return this.call(() => this.http.get('/connectors?expand=status&expand=info'));
  }

  /**
   * Every connector's status by name (`{ name }` for one Connect gave none), in one call, without the
   * configs (they are most of the expanded answer: 9,000 connectors, several MB). The answer is
   * parsed a slice of connectors at a time (90,000 statuses are about 20 MB of JSON), so the API
   * sharing the process is never held for long.
   */
  async listConnectorStatuses(): Promise<Map<string, ConnectStatusReport>> {
    const body = await this.call<Buffer>(() =>
      this.http.get('/connectors?expand=status', { responseType: 'arraybuffer', transformResponse: [errorBodyAsJson] }),
    );
    const byName = new Map<string, ConnectStatusReport>();
    await eachObjectMember(body, (name, entry) =>
      byName.set(name, (entry as { status?: ConnectStatusReport } | null)?.status ?? { name }),
    );
    return byName;
  }

  listConnectors(): Promise<string[]> {
    return this.call(() => this.http.get('/connectors'));
  }

  /** The connector, or undefined when Kafka Connect has none by this name. */
  async getConnector(name: string): Promise<ConnectorInfo | undefined> {
    return absentOn404(() => this.call(() => this.http.get(`/connectors/${enc(name)}`)));
  }

  createConnector(name: string, config: StringMap): Promise<ConnectorInfo> {
    return this.call(() => this.http.post('/connectors', { name, config }));
  }

  /** The connector's config as Connect holds it, or undefined when it has no such connector. */
  getConnectorConfig(name: string): Promise<StringMap | undefined> {
    return absentOn404(() => this.call(() => this.http.get(`/connectors/${enc(name)}/config`)));
  }

  /** The configs Connect gave the connector's tasks, or undefined when it has no such connector. */
  taskConfigs(name: string): Promise<{ id: { connector: string; task: number }; config: StringMap }[] | undefined> {
    return absentOn404(() => this.call(() => this.http.get(`/connectors/${enc(name)}/tasks`)));
  }

  /** Creates or replaces the connector's config (PUT is an upsert in Kafka Connect). */
  putConnectorConfig(name: string, config: StringMap): Promise<ConnectorInfo> {
    return this.call(() => this.http.put(`/connectors/${enc(name)}/config`, config));
  }

  /** Deletes the connector; false when it was already gone. */
  async deleteConnector(name: string): Promise<boolean> {
    const done = await absentOn404(() =>
      this.call(() => this.http.delete(`/connectors/${enc(name)}`)).then(() => true),
    );
    return done ?? false;
  }

  /** The connector's and its tasks' states, or undefined when Kafka Connect has no such connector. */
  status(name: string): Promise<ConnectStatusReport | undefined> {
    return absentOn404(() => this.call(() => this.http.get(`/connectors/${enc(name)}/status`)));
  }

  pause(name: string): Promise<void> {
    return this.call(() => this.http.put(`/connectors/${enc(name)}/pause`, undefined, NO_BODY)).then(() => undefined);
  }

  resume(name: string): Promise<void> {
    return this.call(() => this.http.put(`/connectors/${enc(name)}/resume`, undefined, NO_BODY)).then(() => undefined);
  }

  /** Stops the connector and shuts its tasks down, keeping its config (Kafka 3.5+). */
  stop(name: string): Promise<void> {
    return this.call(() => this.http.put(`/connectors/${enc(name)}/stop`, undefined, NO_BODY)).then(() => undefined);
  }

  restart(name: string, options: { includeTasks: boolean; onlyFailed: boolean }): Promise<void> {
    return this.call(() =>
      this.http.post(`/connectors/${enc(name)}/restart`, undefined, { ...NO_BODY, params: options }),
    ).then(() => undefined);
  }

  /** Restarts one task of the connector; Connect answers 404 for a task number the connector lacks. */
  restartTask(name: string, task: number): Promise<void> {
    return this.call(() => this.http.post(`/connectors/${enc(name)}/tasks/${task}/restart`, undefined, NO_BODY)).then(
      () => undefined,
    );
  }

  /** The connector's offsets (KIP-875, Kafka 3.6+), or undefined when Kafka Connect has no such connector. */
  offsets(name: string): Promise<ConnectorOffsets | undefined> {
    return absentOn404(() => this.call(() => this.http.get(`/connectors/${enc(name)}/offsets`)));
  }

  /** Alters the offsets of a stopped connector; answers with Connect's own words on what it did. */
  alterOffsets(name: string, offsets: ConnectorOffset[]): Promise<{ message: string }> {
    return this.call(() => this.http.patch(`/connectors/${enc(name)}/offsets`, { offsets }));
  }

  /** Resets every offset of a stopped connector; answers with Connect's own words on what it did. */
  resetOffsets(name: string): Promise<{ message: string }> {
    return this.call(() => this.http.delete(`/connectors/${enc(name)}/offsets`));
  }
}
