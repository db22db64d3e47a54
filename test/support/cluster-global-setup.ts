import { requireProfileUp } from './profile-global-setup';

/** The cluster run needs every service of the cluster profile, DF's processes included. */
export default function clusterGlobalSetup(): void {
  requireProfileUp('cluster');
}
