import { expect, it } from 'vitest';
import { absoluteLink, renderEmail } from './render-email.ts';

it('escapes the HTML part and links to the public URL', () => {
  const mail = renderEmail(
    {
      id: 'n1',
      kind: 'comment_mention',
      title: '<b>Hi</b> & bye',
      body: 'a <script>x</script>',
      link: '/projects/a',
    },
    'p@example.test',
    'https://orchard.example.com/',
  );
  expect(mail.html).toContain('&lt;b&gt;Hi&lt;/b&gt; &amp; bye');
  expect(mail.html).not.toContain('<script>');
  expect(mail.html).toContain('<a href="https://orchard.example.com/projects/a">Open in Orchard</a>');
  expect(mail.text).toContain('Open in Orchard: https://orchard.example.com/projects/a');
  expect(mail.messageId).toBe('<notification-n1@orchard.example.com>');
});

it('keeps absolute links and drops none', () => {
  expect(absoluteLink('https://elsewhere.test/x', 'http://o.test')).toBe('https://elsewhere.test/x');
  expect(absoluteLink(null, 'http://o.test')).toBeNull();
});
