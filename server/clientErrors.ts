import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { echo } from './domain/echo.js';
import { apiError } from './domain/errors.js';
import type { AmazonPayError } from './domain/errors.js';

/** What Node's HTTP parser rejected, as the Amazon-shaped error to answer with. */
export function clientErrorOf(err: NodeJS.ErrnoException): AmazonPayError {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return apiError('RequestHeaderFieldsTooLarge', 'The request headers are larger than 16 KB in total; send fewer or shorter headers.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return apiError('RequestTimeout', 'The request did not arrive completely in time; the connection is closed.');
    case 'HPE_INVALID_METHOD':
      return apiError('InvalidRequest', 'The HTTP method is not one this server understands; use GET, POST, PATCH or DELETE.');
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_INVALID_CHUNK_SIZE':
      return apiError('InvalidRequest', 'The request body framing is invalid (Content-Length / Transfer-Encoding); the connection is closed.');
    default:
      return apiError('InvalidRequest', `The request is not valid HTTP/1.1 (${String(err.code ?? 'parse error').slice(0, 40)}); the connection is closed.`);
  }
}

const reasons: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/**
 * A `clientError` listener for the HTTP(S) servers: requests Node refuses before any handler runs
 * (an unknown method, broken framing, headers over 16 KB) still get Amazon's JSON with an
 * x-amz-pay-request-id, then the connection closes (its stream can no longer be trusted).
 */
export function answerClientError(nextRequestId: () => string) {
  return (err: NodeJS.ErrnoException, socket: Duplex): void => {
    // A reset or an already-answered socket has no one to tell.
    if (err.code === 'ECONNRESET' || !socket.writable || (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    const error = clientErrorOf(err);
    const body = JSON.stringify(error.toBody());
    socket.end(
      `HTTP/1.1 ${error.status} ${reasons[error.status] ?? 'Bad Request'}\r\n` +
        'content-type: application/json; charset=utf-8\r\n' +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        `x-amz-pay-request-id: ${nextRequestId()}\r\n` +
        'connection: close\r\n\r\n' +
        body,
    );
  };
}

/**
 * A `checkExpectation` listener for the HTTP(S) servers: a request whose Expect header is not
 * `100-continue` is not run (Node would answer a bare 417 without a body or a request id); it gets
 * 417 ExpectationFailed in Amazon's shape, then the connection closes (the body may still follow).
 */
export function answerExpectation(nextRequestId: () => string) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const error = apiError('ExpectationFailed', `The expectation '${echo(request.headers.expect ?? '')}' in the Expect header cannot be met; send no Expect header, or Expect: 100-continue.`);
    const body = JSON.stringify(error.toBody());
    response.writeHead(error.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'x-amz-pay-request-id': nextRequestId(),
      connection: 'close',
    });
    response.end(body);
  };
}
