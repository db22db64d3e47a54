/** The field → messages of the validation error fn throws (fails the test if it throws none). */
export function fieldErrorsOf(fn: () => unknown): Record<string, string[]> {
  try {
    fn();
  } catch (error) {
    return (error as { details: { fields: Record<string, string[]> } }).details.fields;
  }
  throw new Error('expected a validation error');
}
