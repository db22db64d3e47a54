import type { SchemaAddInput, SchemaRow, SchemaType, SchemaUpdateInput } from '../src/domain/schema';
import { parseSchemaAdd, parseSchemaUpdate } from '../src/domain/schema';
import { DfError } from '../src/domain/errors';
import type { KafkaAdmin } from '../src/ras/kafka';
import type { SchemaRegistryClient } from '../src/ras/schema-registry';
import { requireSchemaRow, schemaRowOf } from '../src/ras/schema-rows';

export interface SchemaDeps {
  schemaRegistry: SchemaRegistryClient;
  kafka: KafkaAdmin;
}

/** Activities of the Schema Registry LAU sequences: registry calls and the subject's Kafka topic. */
export function createSchemaActivities({ schemaRegistry, kafka }: SchemaDeps) {
  return {
    /** Every subject with its latest version; a few at a time, so a big registry is not flooded. */
    async listSchemas(): Promise<SchemaRow[]> {
      const subjects = await schemaRegistry.listSubjects();
      const rows: SchemaRow[] = [];
      for (let i = 0; i < subjects.length; i += 8) {
        const batch = await Promise.all(
          subjects.slice(i, i + 8).map(async (s) => {
            const latest = await schemaRegistry.version(s);
            return latest ? schemaRowOf(schemaRegistry, latest, false) : undefined; // deleted meanwhile
          }),
        );
        rows.push(...batch.filter((r): r is SchemaRow => r !== undefined));
      }
      return rows;
    },

    async getSchema(subject: string, version?: number): Promise<SchemaRow> {
      return requireSchemaRow(schemaRegistry, subject, version);
    },

    /** The version of the subject holding exactly this schema, if any (an add repeated is not a new version). */
    async findIdenticalVersion(subject: string, schema: string, schemaType: SchemaType): Promise<number | undefined> {
      return (await schemaRegistry.lookup(subject, schema, schemaType))?.version;
    },

    async subjectExists(subject: string): Promise<boolean> {
      return (await schemaRegistry.versions(subject)) !== undefined;
    },

    /** Checks an add or update input that did not come through the API (CLI). */
    async checkSchemaAdd(input: unknown): Promise<SchemaAddInput> {
      return parseSchemaAdd(input);
    },

    async checkSchemaUpdate(input: SchemaUpdateInput): Promise<SchemaUpdateInput> {
      return parseSchemaUpdate(input?.subject, input);
    },

    /** Refuses a schema the subject's compatibility mode forbids, with the registry's reasons when it gives them. */
    async requireCompatible(subject: string, schema: string, schemaType: SchemaType): Promise<void> {
      const verdict = await schemaRegistry.testCompatibility(subject, schema, schemaType);
      if (verdict.is_compatible) return;
      const mode = await schemaRegistry.compatibility(subject);
      const reasons = verdict.messages ?? [];
      throw new DfError(
        'CONFLICT',
        `the schema is not ${mode} compatible with the latest version of ${subject}${reasons.length ? `: ${reasons.join('; ')}` : ''}`,
        {
          details: { subject, compatibility: mode, reasons },
        },
      );
    },

    async registerSchema(subject: string, schema: string, schemaType: SchemaType): Promise<{ schemaId: number }> {
      return { schemaId: (await schemaRegistry.register(subject, schema, schemaType)).id };
    },

    async setCompatibility(subject: string, compatibility: string): Promise<void> {
      return schemaRegistry.setCompatibility(subject, compatibility);
    },

    /** Creates the subject's topic; without a replication factor, with DF's default (DF_TOPIC_REPLICATION). */
    async ensureTopic(topic: string, partitions: number, replicationFactor?: number): Promise<{ created: boolean }> {
      return kafka.ensureTopic(topic, partitions, replicationFactor);
    },

    async deleteTopic(topic: string): Promise<void> {
      return kafka.deleteTopic(topic);
    },
  };
}

export type SchemaActivities = ReturnType<typeof createSchemaActivities>;
