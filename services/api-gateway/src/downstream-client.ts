import { Pool } from 'undici';

/** What the gateway got back from a service: status, raw JSON text and content type. */
export interface DownstreamResponse {
  statusCode: number;
  body: string;
  contentType: string | undefined;
}

/** The gateway's own failure talking to a service; becomes a 502 or 504 JSON answer. */
export class DownstreamError extends Error {
  constructor(
    readonly statusCode: 502 | 504,
    readonly body: { error: string; message: string },
  ) {
    super(body.message);
    this.name = 'DownstreamError';
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string')
    return error.code;
  return undefined;
}

export interface DownstreamRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query, starting with '/'. */
  path: string;
  requestId: string;
  body?: string;
}

/**
 * One keep-alive connection pool per service. Errors never carry the service's address (that is
 * internal); they name the service and the variable that configures it.
 */
export class DownstreamClient {
  private readonly pool: Pool;

  constructor(
    readonly serviceName: string,
    private readonly urlVariable: string,
    origin: string,
    private readonly timeoutMs: number,
    connections: number,
  ) {
    this.pool = new Pool(origin, {
      connections,
      connectTimeout: timeoutMs,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      keepAliveTimeout: 30_000,
    });
  }

  async request(request: DownstreamRequest): Promise<DownstreamResponse> {
    const headers: Record<string, string> = { accept: 'application/json', 'x-request-id': request.requestId };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await this.pool.request({
        method: request.method,
        path: request.path,
        headers,
        body: request.body,
      });
      const body = await response.body.text();
      const contentType = response.headers['content-type'];
      return {
        statusCode: response.statusCode,
        body,
        contentType: Array.isArray(contentType) ? contentType[0] : contentType,
      };
    } catch (error) {
      throw this.translate(error);
    }
  }

  private translate(error: unknown): DownstreamError {
    if (TIMEOUT_CODES.has(errorCode(error) ?? '')) {
      return new DownstreamError(504, {
        error: 'Service timed out',
        message: `${this.serviceName} did not answer within ${this.timeoutMs} ms; retry, and if it persists check the service's health and DOWNSTREAM_TIMEOUT_MS.`,
      });
    }
    return new DownstreamError(502, {
      error: 'Error connecting to service',
      message: `${this.serviceName} is unreachable (${errorCode(error) ?? 'connection failed'}); check that it is running and that ${this.urlVariable} points to it.`,
    });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
