import { proxyActivities } from '@temporalio/workflow';
import type { InstalledActivities } from '../activities/installed';
import type { InstalledPlugin } from '../src/domain/installed';
import { tagRun } from './run-tags';

const { listConnectorPlugins, recordInstalledPlugins } = proxyActivities<InstalledActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    // Reading a catalogue is cheap and safe to repeat; after this many tries the run fails
    // with Kafka Connect's own error instead of hanging on a RAS that is down for good.
    maximumAttempts: 10,
  },
});

/**
 * Installed L: the connector plugins Kafka Connect has installed, also kept in df_installed so
 * the catalogue can be read while Kafka Connect is away.
 */
export async function installedList(): Promise<InstalledPlugin[]> {
  tagRun({ category: 'INSTALLED', summary: 'list installed connector plugins' });
  const plugins = await listConnectorPlugins();
  await recordInstalledPlugins(plugins);
  return plugins;
}
