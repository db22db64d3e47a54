import type { Connection } from '@temporalio/client';
import { ensureSearchAttributes, searchAttributeCommands } from '../../src/temporal/search-attributes';

/** A fake operator service: knows `known`, and adds attributes unless `addFails` (as Temporal Cloud refuses). */
function fakeConnection(known: string[], addFails?: Error) {
  const added: string[][] = [];
  const operatorService = {
    listSearchAttributes: async () => ({ customAttributes: Object.fromEntries(known.map((n) => [n, 2])) }),
    addSearchAttributes: async (request: { searchAttributes: Record<string, unknown> }) => {
      if (addFails) throw addFails;
      added.push(Object.keys(request.searchAttributes));
      return {};
    },
  };
  return { connection: { operatorService } as unknown as Pick<Connection, 'operatorService'>, added };
}

describe("the worker's check of DF's search attributes", () => {
  it('adds nothing when the namespace knows them all', async () => {
    const fake = fakeConnection(['DfTaskId', 'DfOperation', 'DfCategory', 'DfActor']);
    await ensureSearchAttributes(fake.connection, 'default');
    expect(fake.added).toEqual([]);
  });

  it('adds the missing ones where it may', async () => {
    const fake = fakeConnection(['DfTaskId']);
    await ensureSearchAttributes(fake.connection, 'default');
    expect(fake.added).toEqual([['DfOperation', 'DfCategory', 'DfActor']]);
  });

  it('stops with the temporal and tcld commands that add them where it may not (Temporal Cloud)', async () => {
    const fake = fakeConnection(['DfTaskId'], new Error('7 PERMISSION_DENIED: Request unauthorized'));
    const failure = ensureSearchAttributes(fake.connection, 'orders.a1b2c');
    await expect(failure).rejects.toThrow(/lacks the search attributes DfOperation, DfCategory, DfActor/);
    await expect(failure).rejects.toThrow(
      'temporal operator search-attribute create --namespace orders.a1b2c --name DfOperation --name DfCategory --name DfActor --type Keyword',
    );
    await expect(failure).rejects.toThrow(
      'tcld namespace search-attributes add --namespace orders.a1b2c --search-attribute DfOperation=Keyword --search-attribute DfCategory=Keyword --search-attribute DfActor=Keyword',
    );
  });

  it('names both commands for any set of attributes', () => {
    expect(searchAttributeCommands('ns', ['A'])).toEqual([
      'temporal operator search-attribute create --namespace ns --name A --type Keyword',
      'tcld namespace search-attributes add --namespace ns --search-attribute A=Keyword',
    ]);
  });
});
