/** The field → messages of the validation error fn throws (fails the test if it throws none). */
export function fieldErrorsOf(fn: () => unknown): Record<string, string[]> {
  try {
    fn();
  } catch (error) {
    return (error as { details: { fields: Record<string, string[]> } }).details.fields;
  }
  throw new Error('expected a validation error');
}

/** The field → messages of an API error answer. */
export function fieldsOf(body: unknown): Record<string, string[]> {
  return (body as { error?: { details?: { fields?: Record<string, string[]> } } }).error?.details?.fields ?? {};
}
