// The one permission catalogue (PRODUCT.md §3): `section.action` strings, with labels for people.
// Identity stores and checks them; the gateway declares one per route; other services ask /v1/authz/check.

export const permissionCatalogue = {
  'dashboard.view': { section: 'Dashboard', label: 'View the dashboard' },
  'contacts.view': { section: 'Contacts', label: 'View contacts' },
  'contacts.edit': { section: 'Contacts', label: 'Create, edit and delete contacts' },
  'conversations.view': { section: 'Conversations', label: 'View conversations' },
  'conversations.reply': { section: 'Conversations', label: 'Reply in conversations' },
  'opportunities.view': { section: 'Opportunities', label: 'View opportunities' },
  'opportunities.edit': { section: 'Opportunities', label: 'Create and edit opportunities' },
  'calendars.view': { section: 'Calendars', label: 'View calendars and appointments' },
  'calendars.edit': { section: 'Calendars', label: 'Manage calendars and their members' },
  'sites.view': { section: 'Sites', label: 'View sites and funnels' },
  'sites.edit': { section: 'Sites', label: 'Build and publish sites and funnels' },
  'marketing.view': { section: 'Marketing', label: 'View campaigns' },
  'marketing.send': { section: 'Marketing', label: 'Send campaigns' },
  'automations.view': { section: 'Automations', label: 'View automations' },
  'automations.edit': { section: 'Automations', label: 'Create and edit automations' },
  'reporting.view': { section: 'Reporting', label: 'View reports' },
  'payments.view': { section: 'Payments', label: 'View payments the account collects' },
  'payments.manage': { section: 'Payments', label: 'Collect and refund payments' },
  'settings.view': { section: 'Settings', label: 'View account settings' },
  'settings.manage': { section: 'Settings', label: 'Change account settings' },
  'staff.view': { section: 'Settings', label: 'View staff' },
  'staff.manage': { section: 'Settings', label: 'Invite staff and edit their access' },
  'staff.remove': { section: 'Settings', label: 'Remove staff' },
  'billing.view': { section: 'Settings', label: 'View billing, plan and invoices' },
  'billing.manage': { section: 'Settings', label: 'Change plan, payment method and billing details' },
  'api_keys.manage': { section: 'Settings', label: 'Create, rotate and revoke API keys' },
  'profiles.manage': { section: 'Settings', label: 'Create and edit permission profiles' },
} as const satisfies Record<string, { section: string; label: string }>;

export type Permission = keyof typeof permissionCatalogue;

export const allPermissions = Object.freeze(Object.keys(permissionCatalogue) as Permission[]);

export const isPermission = (value: string): value is Permission => Object.hasOwn(permissionCatalogue, value);

/** Admin: everything. */
export const adminPermissions: readonly Permission[] = allPermissions;

/** User: every operational section; none of billing, settings.manage, staff.remove, api_keys.manage, profiles.manage. */
export const userPermissions: readonly Permission[] = allPermissions.filter(
  (permission) =>
    !permission.startsWith('billing.') &&
    !['settings.manage', 'staff.remove', 'api_keys.manage', 'profiles.manage'].includes(permission),
);
