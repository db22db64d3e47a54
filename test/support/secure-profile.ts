import { profileEnv } from './profile-env';

/** The variables that point DF at the secure profile (certificates, and secrets as NAME_FILE paths). */
export function secureProfileEnv(): Record<string, string> {
  return profileEnv('secure');
}
