import { stack } from './stack';

/**
 * Integration and workflow tests run against the real stack. A service that is down fails the
 * run here, loudly, instead of letting tests skip. `npm run test:unit` (pure tests) sets
 * DF_TEST_UNIT_ONLY=1 and needs no stack.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DF_TEST_UNIT_ONLY === '1') return;
  try {
    stack('status');
  } catch (error) {
    const out = (error as { stdout?: string }).stdout ?? '';
    throw new Error(`The local stack is not fully up; start it with \`npm run stack -- up\`:\n${out}`);
  }
}
