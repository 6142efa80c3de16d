import nodemailer from 'nodemailer';
import type { EmailMessage } from './email-message';
import type { Addresses, Mailer } from './mailer';

/** The SMTP account, stored as JSON in the secret named by SMTP_SECRET_ARN. */
export interface SmtpSettings {
  host: string;
  port: number;
  username: string;
  password: string;
}

export function parseSmtpSettings(secretText: string): SmtpSettings {
  let value: unknown;
  try {
    value = JSON.parse(secretText);
  } catch {
    throw new Error('the SMTP secret is not JSON: store {"host","port","username","password"}');
  }
  const settings = value as Partial<Record<keyof SmtpSettings, unknown>>;
  const port = typeof settings.port === 'string' ? Number(settings.port) : settings.port;
  const missing: string[] = (['host', 'username', 'password'] as const).filter(
    (k) => typeof settings[k] !== 'string' || settings[k] === '',
  );
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) missing.push('port');
  if (missing.length > 0)
    throw new Error(`the SMTP secret lacks a valid ${missing.join(', ')}: store {"host","port","username","password"}`);
  return {
    host: settings.host as string,
    port: port as number,
    username: settings.username as string,
    password: settings.password as string,
  };
}

/**
 * Email through an SMTP account (for accounts without SES). Port 465 uses TLS from the start; other ports
 * must upgrade with STARTTLS, so the password never crosses the network in clear text.
 */
export class SmtpMailer implements Mailer {
  private readonly transport: nodemailer.Transporter;

  constructor(
    settings: SmtpSettings,
    private readonly addresses: Addresses,
    options: { requireTls?: boolean } = {},
  ) {
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.port === 465,
      requireTLS: options.requireTls ?? settings.port !== 465,
      auth: { user: settings.username, pass: settings.password },
      connectionTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async send(message: EmailMessage): Promise<string> {
    const info = (await this.transport.sendMail({
      from: this.addresses.from,
      to: this.addresses.to,
      subject: message.subject,
      text: message.text,
    })) as { messageId?: string };
    return info.messageId ?? '';
  }
}
