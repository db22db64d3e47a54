/** A fake of the API's id suffix source (src/api/new-task-id.ts): the same 16 hex digits every time. */
export const FAKE_ID_SUFFIX = '0123456789abcdef';
export const fakeIdSuffix = (): string => FAKE_ID_SUFFIX;
