import type { StringMap } from './task';

/** One config key of a connector plugin, as Kafka Connect's validate answer defines it. */
export interface ConnectorFieldDefinition {
  name: string;
  type: string;
  required: boolean;
  default_value?: string | null;
  importance?: string;
  documentation?: string | null;
  group?: string | null;
  display_name?: string;
  order?: number;
}

export interface ConnectorFieldCheck {
  definition: ConnectorFieldDefinition;
  value: { name: string; value: string | null; errors: string[]; recommended_values?: string[]; visible?: boolean };
}

/** A form field for a connector config: what the web console renders and checks inline. */
export interface ConnectorField {
  name: string;
  displayName: string;
  type: string;
  required: boolean;
  defaultValue: string | null;
  importance: string;
  documentation: string;
  group: string;
  order: number;
  value: string | null;
  recommendedValues: string[];
  errors: string[];
}

export interface ConnectorForm {
  connectorClass: string;
  errorCount: number;
  fields: ConnectorField[];
}

/** Keys DF sets itself on every connector: a form never asks for them. */
const DF_OWNED = new Set(['name', 'cuid', 'connector.class']);

/** Turns Kafka Connect's validate answer into form fields, grouped as Connect groups them and in its order. */
export function connectorForm(connectorClass: string, configs: ConnectorFieldCheck[]): ConnectorForm {
  const fields = configs
    .filter((c) => !DF_OWNED.has(c.definition.name) && c.value.visible !== false)
    .map((c, index): ConnectorField => ({
      name: c.definition.name,
      displayName: c.definition.display_name || c.definition.name,
      type: c.definition.type,
      required: c.definition.required,
      defaultValue: c.definition.default_value ?? null,
      importance: c.definition.importance ?? 'LOW',
      documentation: c.definition.documentation ?? '',
      group: c.definition.group || 'Other',
      order: c.definition.order ?? index,
      value: c.value.value,
      recommendedValues: c.value.recommended_values ?? [],
      errors: c.value.errors ?? [],
    }));
  return { connectorClass, errorCount: fields.reduce((n, f) => n + f.errors.length, 0), fields };
}

/** The config a form check sends: the entered values, with the class DF pins. */
export function formConfig(connectorClass: string, values: StringMap): StringMap {
  return { ...values, 'connector.class': connectorClass };
}
