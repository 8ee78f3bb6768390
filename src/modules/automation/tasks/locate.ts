import type { Locator, Page } from 'playwright-core';
import type { Target } from './task-input.ts';

type AriaRole = Parameters<Page['getByRole']>[0];

/** The locator a Target describes; the first match unless it names `nth`. */
export function locate(page: Page, target: Target): Locator {
  if (typeof target === 'string') return page.locator(target).first();
  let found: Locator;
  if ('role' in target)
    found = page.getByRole(target.role as AriaRole, {
      ...(target.name !== undefined ? { name: target.name, exact: target.exact ?? true } : {}),
    });
  else if ('label' in target) found = page.getByLabel(target.label);
  else if ('placeholder' in target) found = page.getByPlaceholder(target.placeholder);
  else if ('text' in target) found = page.getByText(target.text);
  else found = page.getByTestId(target.testId);
  return found.nth(target.nth ?? 0);
}

/** How a person would say which element: `button "Sign in"`, `label "Email"`, `#login`. */
export function describeTarget(target: Target): string {
  if (typeof target === 'string') return target;
  const nth = target.nth ? ` (#${target.nth + 1})` : '';
  if ('role' in target) return `${target.role}${target.name ? ` "${target.name}"` : ''}${nth}`;
  if ('label' in target) return `label "${target.label}"${nth}`;
  if ('placeholder' in target) return `placeholder "${target.placeholder}"${nth}`;
  if ('text' in target) return `text "${target.text}"${nth}`;
  return `test id "${target.testId}"${nth}`;
}
