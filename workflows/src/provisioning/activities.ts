// The activities the provisioning workflow runs, one interface per service (task queue) that implements them.

export interface AccountRef {
  accountId: string;
}

/** On the `identity` task queue. Fails (retryably) until identity has recorded the account. */
export interface IdentityProvisioningActivities {
  confirmIdentityRegistration(input: AccountRef): Promise<void>;
}

/** On the `billing` task queue. Fails (retryably) until billing has recorded the account. */
export interface BillingProvisioningActivities {
  confirmBillingRegistration(input: AccountRef): Promise<void>;
}

/** On the `account` task queue. Moves the account from `provisioning` to `active` (idempotent). */
export interface AccountProvisioningActivities {
  activateAccount(input: AccountRef): Promise<void>;
}
