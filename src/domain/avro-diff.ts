/** One field-level difference between two Avro record schemas. */
export interface FieldChange {
  field: string;
  change: 'added' | 'removed' | 'type' | 'default';
  from?: unknown;
  to?: unknown;
}

interface AvroField {
  name: string;
  type: unknown;
  default?: unknown;
}

function fieldsOf(schema: unknown, label: string): AvroField[] {
  const record = schema as { type?: unknown; fields?: unknown };
  if (!record || typeof record !== 'object' || record.type !== 'record' || !Array.isArray(record.fields)) {
    throw new Error(`${label} is not an Avro record`);
  }
  return record.fields as AvroField[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Field-level difference between two Avro records: fields added, removed, or whose type or default
 * changed (nested records compare as whole types). Order of fields does not count.
 */
export function diffAvroRecords(from: unknown, to: unknown): FieldChange[] {
  const before = new Map(fieldsOf(from, 'the older version').map((f) => [f.name, f]));
  const after = new Map(fieldsOf(to, 'the newer version').map((f) => [f.name, f]));
  const changes: FieldChange[] = [];
  for (const [name, f] of after) {
    const old = before.get(name);
    if (!old) {
      changes.push({
        field: name,
        change: 'added',
        to: { type: f.type, ...('default' in f ? { default: f.default } : {}) },
      });
      continue;
    }
    if (!same(old.type, f.type)) changes.push({ field: name, change: 'type', from: old.type, to: f.type });
    if ('default' in old !== 'default' in f || !same(old.default, f.default)) {
      changes.push({ field: name, change: 'default', from: old.default, to: f.default });
    }
  }
  for (const [name, f] of before) {
    if (!after.has(name))
      changes.push({
        field: name,
        change: 'removed',
        from: { type: f.type, ...('default' in f ? { default: f.default } : {}) },
      });
  }
  return changes;
}
