import type { ConnectRouter } from '@connectrpc/connect';
import { IdentityService } from '@crm/contracts';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { accountRegisteredAt } from '../app/confirm-registration';
import type { IdentityDeps } from '../deps';

export const identityRoutes = (deps: IdentityDeps) => (router: ConnectRouter) =>
  router.service(IdentityService, {
    async getAccountRegistration(request) {
      const registeredAt = await accountRegisteredAt(deps, request.accountId);
      return { registered: registeredAt !== undefined, registeredAt: registeredAt && timestampFromDate(registeredAt) };
    },
  });
