/**
 * Workflow ids come from the business key, so the same operation on the same thing is never
 * running twice at once: a second request joins the run already under way.
 */
export const workflowIds = {
  installedList: (): string => 'df-installed-list',
};
