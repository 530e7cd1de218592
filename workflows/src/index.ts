// Every workflow the workers run. This file is the bundle entry point (`workflowsPath`).
export { accountProvisioningWorkflow } from './provisioning/workflow';
export { inviteWorkflow } from './invite/workflow';
export { subscriptionWorkflow } from './subscription/workflow';
