import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { HttpRequest, HttpResponse } from './http';
import { toErrorBody } from './error-body';
import { redactUrl } from './logging';

/** Every error leaves as `{ statusCode, error, message, details? }`; server faults are logged, never echoed. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<HttpResponse>();
    const request = http.getRequest<HttpRequest>();
    const answer = toErrorBody(exception);
    if (answer.statusCode >= 500) {
      // Request bodies are never logged: environment registrations carry passwords.
      this.logger.error(
        { err: exception, method: request.method, url: redactUrl(request.originalUrl ?? request.url) },
        `${request.method} ${request.path} failed`,
      );
    }
    if (response.headersSent) return;
    response.status(answer.statusCode).json(answer);
  }
}
