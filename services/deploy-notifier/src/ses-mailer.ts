import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { EmailMessage } from './email-message';
import type { Addresses, Mailer } from './mailer';

/** Email through SES v2; the sender address (or its domain) must be a verified SES identity. */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: Pick<SESv2Client, 'send'>,
    private readonly addresses: Addresses,
  ) {}

  async send(message: EmailMessage): Promise<string> {
    const answer = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.addresses.from,
        Destination: { ToAddresses: this.addresses.to },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
          },
        },
      }),
    );
    return answer.MessageId ?? '';
  }
}
