import { profileEnv } from './profile-env';

// Every spec of the cluster run talks to the cluster profile: DF's config, the tests' own clients
// and stack.sh calls (DF_STACK_PROFILE) all read these.
Object.assign(process.env, profileEnv('cluster'));
