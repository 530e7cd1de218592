import { z } from 'zod';
import { allPermissions, permissionCatalogue, type identityV1 } from '@crm/contracts';
import { iso } from './staff.views';

export const catalogueView = z.object({
  sections: z
    .array(
      z.object({
        name: z.string().describe('e.g. Contacts'),
        permissions: z.array(
          z.object({ id: z.string().describe('`section.action`, e.g. contacts.edit'), label: z.string() }),
        ),
      }),
    )
    .describe('In the order the product shows them; administrative permissions are under Settings'),
});

/** The catalogue grouped by section, in catalogue order (packages/contracts/src/permissions.ts). */
export function catalogue(): z.infer<typeof catalogueView> {
  const sections = new Map<string, { id: string; label: string }[]>();
  for (const id of allPermissions) {
    const { section, label } = permissionCatalogue[id];
    const list = sections.get(section) ?? [];
    list.push({ id, label });
    sections.set(section, list);
  }
  return { sections: [...sections].map(([name, permissions]) => ({ name, permissions })) };
}

export const profileView = z.object({
  id: z.string().describe('`admin`, `user`, or a custom profile id (UUID)'),
  name: z.string(),
  builtin: z.boolean().describe('Admin and User are built in and cannot be changed'),
  permissions: z.array(z.string()).describe('Its permissions, sorted'),
  userCount: z.number().int().describe('Users who hold it and are not removed'),
  createdAt: z.iso.datetime().nullable(),
  updatedAt: z.iso.datetime().nullable(),
});
export type ProfileView = z.infer<typeof profileView>;

export function toProfileView(profile: identityV1.PermissionProfile | undefined): ProfileView {
  if (!profile) throw new Error('identity answered without a profile');
  return {
    id: profile.id,
    name: profile.name,
    builtin: profile.builtin,
    permissions: profile.permissions,
    userCount: profile.userCount,
    createdAt: iso(profile.createdAt),
    updatedAt: iso(profile.updatedAt),
  };
}
