import { describe, expect, it } from 'vitest';
import { OidcProviderConfig } from '../../../config.ts';
import { instanceRoleOf, projectRolesOf } from './group-roles.ts';

const provider = (extra: Record<string, unknown>) =>
  OidcProviderConfig.parse({
    name: 'corp',
    displayName: 'Corp',
    issuer: 'https://id.corp.example',
    clientId: 'o',
    ...extra,
  });

describe('roles from groups', () => {
  it('makes admins of the admin groups and members of everyone else, or leaves the role alone', () => {
    const managed = provider({ adminGroups: ['ops', 'leads'] });
    expect(instanceRoleOf(managed, ['staff', 'leads'])).toBe('admin');
    expect(instanceRoleOf(managed, ['staff'])).toBe('member');
    expect(instanceRoleOf(provider({}), ['ops'])).toBeUndefined();
  });

  it('gives each mapped project the highest role of the groups held, and none where no group is held', () => {
    const mapped = provider({
      projectRoles: [
        { group: 'devs', project: 'shop', role: 'developer' },
        { group: 'leads', project: 'shop', role: 'maintainer' },
        { group: 'devs', project: 'blog', role: 'viewer' },
        { group: 'owners', project: 'blog', role: 'owner' },
      ],
    });
    expect(projectRolesOf(mapped, ['leads', 'devs'])).toEqual(
      new Map([
        ['shop', 'maintainer'],
        ['blog', 'viewer'],
      ]),
    );
    expect(projectRolesOf(mapped, ['owners'])).toEqual(
      new Map([
        ['shop', null],
        ['blog', 'owner'],
      ]),
    );
    expect(projectRolesOf(provider({}), ['devs']).size).toBe(0);
  });
});
