import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { ConnectRouter } from '@connectrpc/connect';
import { BillingService } from '@crm/contracts';
import { accountRegisteredAt } from '../app/confirm-registration';
import type { BillingDeps } from '../deps';

export const billingRoutes = (deps: BillingDeps) => (router: ConnectRouter) =>
  router.service(BillingService, {
    async getAccountRegistration(request) {
      const registeredAt = await accountRegisteredAt(deps, request.accountId);
      return { registered: registeredAt !== undefined, registeredAt: registeredAt && timestampFromDate(registeredAt) };
    },
  });
