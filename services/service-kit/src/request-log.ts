import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

const LEVELS_ABOVE_INFO = new Set(['warn', 'error', 'fatal', 'silent']);

/**
 * One log line per request, written when it completes (method, url, status, time, request id),
 * instead of Fastify's two (incoming + completed): half the logging cost on the hot path.
 */
export class OneLinePerRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    // At LOG_LEVEL=warn and above a successful request writes nothing: skip building the line.
    if (!error && LEVELS_ABOVE_INFO.has(reply.log.level)) return;
    const line = {
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
