/** The Avro versions of one subject the schema specs register: a record, a compatible step, incompatible steps. */
export const V1 = {
  type: 'record',
  name: 'Order',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'double' },
  ],
};
export const V2 = { ...V1, fields: [...V1.fields, { name: 'currency', type: 'string', default: 'EUR' }] };
// Adds "customer" without a default: a reader of this version cannot read version 2's data (BACKWARD).
export const NEW_FIELD_NO_DEFAULT = { ...V2, fields: [...V2.fields, { name: 'customer', type: 'string' }] };
// Drops "amount", which has no default: a reader of version 2 cannot read data of this one (FORWARD).
// (Under BACKWARD, Avro allows removing a field: the new reader skips it.)
export const REMOVED_FIELD = { ...V2, fields: V2.fields.filter((f) => f.name !== 'amount') };
