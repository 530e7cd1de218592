import type { Client } from '@connectrpc/connect';
import { AccountService, BillingService, IdentityService } from '@crm/contracts';
import { rpcClient } from '@crm/platform/rpc';
import type { GatewayConfig } from './config';

/** The gateway's only way to the services: their internal Connect APIs. */
export interface ServiceClients {
  account: Client<typeof AccountService>;
  identity: Client<typeof IdentityService>;
  billing: Client<typeof BillingService>;
}

export const createServiceClients = (config: GatewayConfig): ServiceClients => ({
  account: rpcClient(AccountService, config.GATEWAY_ACCOUNT_SERVICE_URL),
  identity: rpcClient(IdentityService, config.GATEWAY_IDENTITY_SERVICE_URL),
  billing: rpcClient(BillingService, config.GATEWAY_BILLING_SERVICE_URL),
});
