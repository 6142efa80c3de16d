import type { EmailMessage } from './email-message';

/** Sends one email to the configured recipients; resolves to the transport's message id. */
export interface Mailer {
  send(message: EmailMessage): Promise<string>;
}

export interface Addresses {
  from: string;
  to: string[];
}
