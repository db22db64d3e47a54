// Avro types in words people read: ["null","string"] → "null | string".

export function avroType(type) {
  if (type === undefined) return '—';
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.map(avroType).join(' | ');
  if (type && typeof type === 'object') {
    if (type.logicalType) return `${avroType(type.type)} (${type.logicalType})`;
    if (type.type === 'array') return `array<${avroType(type.items)}>`;
    if (type.type === 'map') return `map<${avroType(type.values)}>`;
    if (type.type === 'enum') return `enum ${type.name ?? ''}`.trim();
    if (type.type === 'fixed') return `fixed(${type.size})`;
    if (type.type === 'record') return `record ${type.name ?? ''}`.trim();
    return avroType(type.type);
  }
  return String(type);
}

/** The record's fields, or undefined when the schema is not an Avro record. */
export function avroFields(schema) {
  return schema && typeof schema === 'object' && schema.type === 'record' && Array.isArray(schema.fields)
    ? schema.fields
    : undefined;
}

export function formatDefault(value) {
  return value === undefined ? '—' : JSON.stringify(value);
}
