import { requireProfileUp } from './profile-global-setup';

/** The secure run needs every service of the secure profile. */
export default function secureGlobalSetup(): void {
  requireProfileUp('secure');
}
