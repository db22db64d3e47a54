import { AxiosInstance } from 'axios';
import type { SchemaType } from '../domain/schema';
import type { Endpoints } from './endpoints';
import { absentOn404, rasCall, rasHttp } from './http';
import type { ServiceAccess } from './service-access';

/** A subject version as the registry answers it (schema as a string). */
export interface RegisteredSchema {
  subject: string;
  version: number;
  id: number;
  schema: string;
  schemaType?: SchemaType;
}

const enc = encodeURIComponent;

/**
 * Confluent Schema Registry API. The base URL carries any path prefix (Apicurio's
 * /apis/ccompat/v7), so the same client works against Confluent's registry and the local one.
 */
export class SchemaRegistryClient {
  private readonly http: AxiosInstance;
  /** The registry's URLs, and the one in use. */
  readonly endpoints: Endpoints;

  constructor(
    /** Its URL, or how to reach it: URL(s), TLS material, credentials. */
    access: string | ServiceAccess,
    timeoutMs?: number,
  ) {
    ({ http: this.http, endpoints: this.endpoints } = rasHttp(access, timeoutMs));
    this.http.defaults.headers.common.Accept = 'application/vnd.schemaregistry.v1+json, application/json';
    this.http.defaults.headers.post['Content-Type'] = 'application/vnd.schemaregistry.v1+json';
    this.http.defaults.headers.put['Content-Type'] = 'application/vnd.schemaregistry.v1+json';
  }

  /** Global compatibility level. */
  globalConfig(): Promise<{ compatibilityLevel: string }> {
    return rasCall('schema-registry', () => this.http.get('/config'));
  }

  listSubjects(): Promise<string[]> {
    return rasCall('schema-registry', () => this.http.get('/subjects'));
  }

  /** A version of the subject ('latest' by default), or undefined when the subject or version does not exist. */
  version(subject: string, version: number | 'latest' = 'latest'): Promise<RegisteredSchema | undefined> {
    return absentOn404(() =>
      rasCall('schema-registry', () => this.http.get(`/subjects/${enc(subject)}/versions/${version}`)),
    );
  }

  /** The schema registered under a global id (what a wire-format record names), or undefined when there is none. */
  schemaById(id: number): Promise<{ schema: string; schemaType?: SchemaType } | undefined> {
    return absentOn404(() => rasCall('schema-registry', () => this.http.get(`/schemas/ids/${id}`)));
  }

  versions(subject: string): Promise<number[] | undefined> {
    return absentOn404(() => rasCall('schema-registry', () => this.http.get(`/subjects/${enc(subject)}/versions`)));
  }

  /** The version holding exactly this schema, if the subject has it already. */
  lookup(subject: string, schema: string, schemaType: SchemaType): Promise<RegisteredSchema | undefined> {
    return absentOn404(() =>
      rasCall('schema-registry', () => this.http.post(`/subjects/${enc(subject)}`, body(schema, schemaType))),
    );
  }

  /** Registers the schema; the registry answers the existing id for a schema it already has. */
  register(subject: string, schema: string, schemaType: SchemaType): Promise<{ id: number }> {
    return rasCall('schema-registry', () =>
      this.http.post(`/subjects/${enc(subject)}/versions`, body(schema, schemaType)),
    );
  }

  /** Whether the schema may follow the subject's latest version under its compatibility mode. */
  testCompatibility(
    subject: string,
    schema: string,
    schemaType: SchemaType,
  ): Promise<{ is_compatible: boolean; messages?: string[] }> {
    return rasCall('schema-registry', () =>
      this.http.post(`/compatibility/subjects/${enc(subject)}/versions/latest`, body(schema, schemaType), {
        params: { verbose: true },
      }),
    );
  }

  /** The subject's effective compatibility mode (its own, else the global one). */
  async compatibility(subject: string): Promise<string> {
    const own = await absentOn404(() =>
      rasCall<{ compatibilityLevel: string }>('schema-registry', () =>
        this.http.get(`/config/${enc(subject)}`, { params: { defaultToGlobal: true } }),
      ),
    );
    return own?.compatibilityLevel ?? (await this.globalConfig()).compatibilityLevel;
  }

  async setCompatibility(subject: string, compatibility: string): Promise<void> {
    await rasCall('schema-registry', () => this.http.put(`/config/${enc(subject)}`, { compatibility }));
  }
}

function body(schema: string, schemaType: SchemaType) {
  // Confluent's registry wants schemaType left out for Avro, its default.
  return schemaType === 'AVRO' ? { schema } : { schema, schemaType };
}
