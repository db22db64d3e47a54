import { readSetting } from '../../src/config';
import { setLogPolicy } from '../../src/logger';

/**
 * The service logs every request and activity at info: in tests that is a wall of JSON (some
 * 250 KB a run) around the one failure that matters. Tests run DF at warn unless DF_LOG_LEVEL
 * asks for another level: DF's processes set it from their config, and DF run inside a test
 * (unit specs, startDfApp) logs through this module's logger, set here before any test runs.
 */
process.env.DF_LOG_LEVEL ??= 'warn';
setLogPolicy({
  level: readSetting(process.env, 'DF_LOG_LEVEL'),
  secretKeys: readSetting(process.env, 'DF_SECRET_KEYS'),
});
