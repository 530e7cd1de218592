import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { ConnectRouter } from '@connectrpc/connect';
import { AccountService, BillingInterval, accountStatusToProto, actorFromProto } from '@crm/contracts';
import { validationError } from '@crm/platform/errors';
import { createAccount } from '../app/create-account';
import { getAccount } from '../app/get-account';
import type { Account } from '../domain/account';
import type { AccountDeps } from '../deps';

const intervalFromProto = (interval: BillingInterval): string =>
  interval === BillingInterval.MONTH ? 'month' : interval === BillingInterval.YEAR ? 'year' : 'unspecified';

export const accountToProto = (account: Account) => ({
  id: account.id,
  slug: account.slug,
  name: account.name,
  timezone: account.timezone,
  status: accountStatusToProto(account.status),
  createdAt: timestampFromDate(account.createdAt),
});

export const accountRoutes = (deps: AccountDeps) => (router: ConnectRouter) =>
  router.service(AccountService, {
    async createAccount(request) {
      if (!request.owner) throw validationError([{ field: 'owner', message: 'owner is required', code: 'required' }]);
      if (!request.actor) throw validationError([{ field: 'actor', message: 'actor is required', code: 'required' }]);
      const { account } = await createAccount(deps, {
        name: request.name,
        slug: request.slug,
        timezone: request.timezone,
        owner: {
          firstName: request.owner.firstName,
          lastName: request.owner.lastName,
          email: request.owner.email,
          phone: request.owner.phone,
        },
        planId: request.planId,
        interval: intervalFromProto(request.interval),
        trialDays: request.trialDays,
        actor: actorFromProto(request.actor),
        idempotencyKey: request.idempotencyKey || undefined,
      });
      return {
        account: accountToProto(account),
        ownerUserId: account.ownerUserId,
        ownerInvitationId: account.ownerInvitationId,
      };
    },
    async getAccount(request) {
      return { account: accountToProto(await getAccount(deps, { accountId: request.accountId })) };
    },
  });
