import type { OperatorService } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
import {
  encodeSearchAttributeIndexedValueType,
  type SearchAttributeKey,
} from '@temporalio/common/lib/search-attributes';

/** Every workflow carries the account it acts for, so an SRE can list "everything for account X" (PRODUCT §10). */
export const accountIdSearchAttribute = defineSearchAttributeKey('AccountId', SearchAttributeType.KEYWORD);

/** The custom search attributes this platform relies on, registered by {@link ensureSearchAttributes}. */
const requiredSearchAttributes: readonly SearchAttributeKey<SearchAttributeType>[] = [accountIdSearchAttribute];

/**
 * The `typedSearchAttributes` to start a workflow with:
 * `client.workflow.start(closureWorkflow, { ..., typedSearchAttributes: searchAttributesForAccount(accountId) })`.
 * Then `client.workflow.list({ query: "AccountId='<accountId>'" })` finds it.
 */
export function searchAttributesForAccount(accountId: string): TypedSearchAttributes {
  return new TypedSearchAttributes([{ key: accountIdSearchAttribute, value: accountId }]);
}

const ALREADY_EXISTS = 6; // gRPC status code

/**
 * Registers the platform's custom search attributes (`AccountId` as Keyword) in a namespace where they are
 * missing. Idempotent and safe to run from several services at once. The local dev server is started with them
 * already; a real cluster may not have them. Fails if an attribute exists with another type.
 *
 * Uses the operator service, which Temporal Cloud does not offer: there, create the attributes up front.
 */
export async function ensureSearchAttributes(
  connection: { operatorService: OperatorService },
  namespace: string,
): Promise<void> {
  const missing = await missingSearchAttributes(connection, namespace);
  if (missing.length === 0) return;
  const searchAttributes = Object.fromEntries(missing.map(({ name, type }) => [name, indexedValueType(type)]));
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (error) {
    // Another process registered them between our check and our add: check again rather than trust the race.
    if ((error as { code?: unknown }).code !== ALREADY_EXISTS) throw error;
    const stillMissing = await missingSearchAttributes(connection, namespace);
    if (stillMissing.length > 0) throw error;
  }
}

async function missingSearchAttributes(
  connection: { operatorService: OperatorService },
  namespace: string,
): Promise<SearchAttributeKey<SearchAttributeType>[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  return requiredSearchAttributes.filter(({ name, type }) => {
    const existing = customAttributes?.[name];
    if (existing === undefined || existing === null) return true;
    if (existing !== indexedValueType(type)) {
      throw new Error(
        `search attribute ${name} exists in namespace ${namespace} with indexed value type ${existing}, expected ${type}`,
      );
    }
    return false;
  });
}

function indexedValueType(type: SearchAttributeType) {
  const encoded = encodeSearchAttributeIndexedValueType(type);
  if (encoded === undefined) throw new Error(`no indexed value type for search attribute type ${type}`);
  return encoded;
}
