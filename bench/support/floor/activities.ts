/** The floor workflows' one step: no I/O, so what it costs is Temporal's round trip alone. */
export const floorActivities = {
  async nothing(): Promise<void> {
    return undefined;
  },
};

export type FloorActivities = typeof floorActivities;
