import { z } from 'zod';

/** The email service's choices: production mail is sent on through Orchard's own SMTP server. */
export const EmailSettings = z.object({ relayProduction: z.boolean().default(false) });
export type EmailSettings = z.infer<typeof EmailSettings>;
