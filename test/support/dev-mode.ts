/**
 * Specs run against the local stack, where DF_PAYLOAD_KEY may be left unset: every spec that loads
 * the config from the environment does so in dev mode unless the environment says otherwise.
 */
process.env.DF_DEV_MODE ??= 'true';
