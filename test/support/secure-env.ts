import { secureProfileEnv } from './secure-profile';

// Every spec of the secure run talks to the secure profile: DF's config, the tests' own clients
// and stack.sh calls (DF_STACK_PROFILE) all read these.
Object.assign(process.env, secureProfileEnv());
