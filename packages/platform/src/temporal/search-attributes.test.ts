import type { OperatorService } from '@temporalio/client';
import { ensureSearchAttributes, searchAttributesForAccount, accountIdSearchAttribute } from './search-attributes';

// temporal.api.enums.v1.IndexedValueType
const TEXT = 1;
const KEYWORD = 2;

/** An operator service holding the namespace's custom search attributes, recording what is added. */
function operatorServiceWith(existing: Record<string, number>, options: { addFails?: Error } = {}) {
  const added: Record<string, number>[] = [];
  const operatorService = {
    listSearchAttributes: async () => ({ customAttributes: { ...existing } }),
    addSearchAttributes: async ({ searchAttributes }: { searchAttributes: Record<string, number> }) => {
      if (options.addFails) throw options.addFails;
      added.push(searchAttributes);
      Object.assign(existing, searchAttributes);
      return {};
    },
  };
  return { connection: { operatorService: operatorService as unknown as OperatorService }, added };
}

describe('ensureSearchAttributes', () => {
  it('registers AccountId as a Keyword when the namespace lacks it', async () => {
    const { connection, added } = operatorServiceWith({ CustomerTier: TEXT });

    await ensureSearchAttributes(connection, 'default');

    expect(added).toEqual([{ AccountId: KEYWORD }]);
  });

  it('adds nothing when AccountId is already a Keyword', async () => {
    const { connection, added } = operatorServiceWith({ AccountId: KEYWORD });

    await ensureSearchAttributes(connection, 'default');

    expect(added).toEqual([]);
  });

  it('refuses an AccountId of another type', async () => {
    const { connection } = operatorServiceWith({ AccountId: TEXT });

    await expect(ensureSearchAttributes(connection, 'crm')).rejects.toThrow(
      'search attribute AccountId exists in namespace crm with indexed value type 1, expected KEYWORD',
    );
  });

  it('accepts losing the race to another process that registered it meanwhile', async () => {
    const existing: Record<string, number> = {};
    const alreadyExists = Object.assign(new Error('already exists'), { code: 6 });
    const { connection } = operatorServiceWith(existing, { addFails: alreadyExists });
    const list = connection.operatorService.listSearchAttributes.bind(connection.operatorService);
    let calls = 0;
    connection.operatorService.listSearchAttributes = (async (request: never) => {
      if (++calls === 2) existing.AccountId = KEYWORD; // the other process won between our check and our add
      return list(request);
    }) as typeof connection.operatorService.listSearchAttributes;

    await expect(ensureSearchAttributes(connection, 'default')).resolves.toBeUndefined();
  });

  it('reports any other failure to add', async () => {
    const denied = Object.assign(new Error('permission denied'), { code: 7 });
    const { connection } = operatorServiceWith({}, { addFails: denied });

    await expect(ensureSearchAttributes(connection, 'default')).rejects.toBe(denied);
  });
});

describe('searchAttributesForAccount', () => {
  it('carries the account id under the AccountId Keyword attribute', () => {
    const attributes = searchAttributesForAccount('acc_42');

    expect(accountIdSearchAttribute).toEqual({ name: 'AccountId', type: 'KEYWORD' });
    expect(attributes.get(accountIdSearchAttribute)).toBe('acc_42');
    expect(attributes.getAll()).toHaveLength(1);
  });
});
