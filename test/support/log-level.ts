/**
 * The service logs every request and activity at info: in tests that is a wall of JSON (some
 * 250 KB a run) around the one failure that matters. Tests run DF at warn unless DF_LOG_LEVEL
 * asks for another level; runs before any test module loads the logger.
 */
process.env.DF_LOG_LEVEL ??= 'warn';
