/** Every cache key in one place, so a mutation knows exactly what it makes stale. */
export const keys = {
  setup: ['setup'] as const,
  me: ['me'] as const,
  projects: ['projects'] as const,
  project: (slug: string) => ['project', slug] as const,
  members: (slug: string) => ['project', slug, 'members'] as const,
  secrets: (slug: string) => ['project', slug, 'secrets'] as const,
  tokens: ['tokens'] as const,
};
