import { defineQuery } from '@temporalio/workflow';

export type ProvisioningPhase = 'waiting_for_services' | 'activating' | 'active';

export interface ProvisioningStatus {
  accountId: string;
  phase: ProvisioningPhase;
  identityReady: boolean;
  billingReady: boolean;
}

export const provisioningStatusQuery = defineQuery<ProvisioningStatus>('provisioningStatus');

export const provisioningWorkflowId = (accountId: string) => `provisioning-${accountId}`;
export const PROVISIONING_TASK_QUEUE = 'account';
