/** Usernames mentioned as `@name` in text (not inside an email address or a code span). */
export function mentionedUsernames(text: string): string[] {
  const withoutCode = text.replace(/```[\s\S]*?```/g, ' ').replace(/`[^`\n]*`/g, ' ');
  const names = new Set<string>();
  for (const m of withoutCode.matchAll(
    /(^|[^\w@./-])@([A-Za-z0-9][A-Za-z0-9_.-]{0,62}[A-Za-z0-9_]|[A-Za-z0-9])/g,
  ))
    names.add(m[2]!);
  return [...names];
}
