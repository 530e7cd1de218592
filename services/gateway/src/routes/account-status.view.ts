import { z } from 'zod';
import { accountStatusFromProto, accountStatusNames, type AccountStatusName } from '@crm/contracts';

/** An account's lifecycle status as the public API names it. */
export const accountStatusView = z.enum(accountStatusNames as [AccountStatusName, ...AccountStatusName[]]);
export type { AccountStatusName };

/** The API name of a status from an internal API; undefined for one this build does not know. */
export const accountStatusName = accountStatusFromProto;
