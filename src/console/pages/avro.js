// @ts-check
// Avro types in words people read: ["null","string"] → "null | string".

/**
 * The parts of an Avro type written as an object that the console shows.
 * @typedef {{ type?: unknown, logicalType?: string, items?: unknown, values?: unknown, name?: string,
 *   namespace?: string, size?: number, fields?: AvroField[] }} AvroObject
 */
/** @typedef {{ name: string, type: unknown, default?: unknown, doc?: string }} AvroField */

/**
 * @param {unknown} type a type name, a union (array) or a type object
 * @returns {string}
 */
export function avroType(type) {
  if (type === undefined) return '—';
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.map(avroType).join(' | ');
  if (type && typeof type === 'object') {
    /** @type {AvroObject} */
    const t = type;
    if (t.logicalType) return `${avroType(t.type)} (${t.logicalType})`;
    if (t.type === 'array') return `array<${avroType(t.items)}>`;
    if (t.type === 'map') return `map<${avroType(t.values)}>`;
    if (t.type === 'enum') return `enum ${t.name ?? ''}`.trim();
    if (t.type === 'fixed') return `fixed(${t.size})`;
    if (t.type === 'record') return `record ${t.name ?? ''}`.trim();
    return avroType(t.type);
  }
  return String(type);
}

/**
 * The record's fields, or undefined when the schema is not an Avro record.
 * @param {unknown} schema
 * @returns {AvroField[] | undefined}
 */
export function avroFields(schema) {
  return schema &&
    typeof schema === 'object' &&
    'type' in schema &&
    schema.type === 'record' &&
    'fields' in schema &&
    Array.isArray(schema.fields)
    ? schema.fields
    : undefined;
}

/** @param {unknown} value */
export function formatDefault(value) {
  return value === undefined ? '—' : JSON.stringify(value);
}
