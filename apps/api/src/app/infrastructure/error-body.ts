import { HttpException, HttpStatus } from '@nestjs/common';
import { ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, isGrpcDeadlineError } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { QueryFailedError } from 'typeorm';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';

/** The JSON every error answer has. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function body(statusCode: number, message: string, details?: unknown): ErrorBody {
  return { statusCode, error: STATUS_TEXT[statusCode] ?? HttpStatus[statusCode] ?? 'Error', message, ...(details === undefined ? {} : { details }) };
}

const DELIVERY_ERROR_STATUS: Partial<Record<DeliveryFailureType, number>> = {
  [DeliveryFailureType.InvalidParameters]: 400,
  [DeliveryFailureType.InvalidPackage]: 400,
  [DeliveryFailureType.UnsupportedType]: 400,
  [DeliveryFailureType.EnvironmentNotFound]: 404,
  [DeliveryFailureType.EnvironmentNotAllowed]: 400,
  [DeliveryFailureType.MissingObject]: 404,
  [DeliveryFailureType.BadCredentials]: 422,
  [DeliveryFailureType.InsufficientPrivileges]: 422,
  [DeliveryFailureType.Unreachable]: 503,
};

/** Unique constraints of the app schema, in words a caller can act on. */
const UNIQUE_VIOLATIONS: Record<string, string> = {
  uq_environment_customer_name: 'This customer already has an environment with that name.',
  uq_upgrade_package_name: 'An upgrade package with that name is already registered: give the new one its own name.',
  uq_delivery_workflow_id: 'This order already has a delivery.',
  uq_delivery_order: 'This customer already has a delivery of this service for that order number.',
  uq_delivery_idempotency_key: 'This Idempotency-Key was already used for this customer.',
  uq_audit_decision: 'This decision was already recorded.',
};

/** serialization_failure, deadlock_detected, too_many_connections, query_canceled (statement timeout). */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '53300', '57014']);

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

function grpcCode(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

/**
 * Turns any error into the answer a caller sees. Known errors become 4xx/503 with an actionable
 * message; anything else is a 500 with a generic message (the filter logs the real one).
 */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'string') return body(status, response);
    const r = response as { message?: unknown; details?: unknown };
    if (r.message === undefined) return body(status, exception.message, response); // e.g. terminus' health report
    const message = Array.isArray(r.message) ? r.message.join('; ') : typeof r.message === 'string' ? r.message : exception.message;
    return body(status, message, r.details);
  }
  if (exception instanceof DeliveryError) {
    return body(DELIVERY_ERROR_STATUS[exception.type] ?? 409, exception.message, { type: exception.type, ...(exception.details ?? {}) });
  }
  if (exception instanceof WorkflowUpdateFailedError) {
    // The workflow's validator (or handler) refused the gate: wrong phase, stale revision …
    const cause = exception.cause;
    const type = cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
    return body(409, cause?.message || 'The delivery refused this action.', type ? { type } : undefined);
  }
  if (exception instanceof WorkflowNotFoundError) {
    return body(409, 'The delivery is no longer running (it completed, failed or was cancelled), so it cannot take this action.');
  }
  if (exception instanceof WorkflowExecutionAlreadyStartedError) {
    return body(409, 'A delivery for this order has already run; start a new order number to deliver again.');
  }
  if (exception instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(exception)) {
    return body(504, 'The delivery did not answer in time; the action may still take effect: read the delivery before retrying.');
  }
  if (exception instanceof ServiceError || grpcCode(exception) === GRPC_UNAVAILABLE || grpcCode(exception) === GRPC_DEADLINE_EXCEEDED) {
    return body(503, 'Temporal is unavailable; retry the same request later.');
  }
  if (exception instanceof QueryFailedError) {
    const driverError = (exception as QueryFailedError & { driverError?: { code?: string; constraint?: string } }).driverError;
    if (driverError?.code === '23505') return body(409, UNIQUE_VIOLATIONS[driverError.constraint ?? ''] ?? 'That already exists.');
    if (driverError?.code === '22P02') return body(400, 'A value has the wrong format (an ID must be a UUID).');
    // Concurrent writers lost a race, or the server is saturated: nothing was written, the same request may be retried.
    if (TRANSIENT_SQLSTATES.has(driverError?.code ?? '')) return body(503, 'The app database is busy; nothing was changed: retry the same request.');
  }
  // body-parser (http-errors): 413 too large, 400 malformed JSON, 415 unsupported charset …
  const httpError = exception as { status?: unknown; expose?: unknown; message?: unknown } | null;
  if (httpError && httpError.expose === true && typeof httpError.status === 'number' && httpError.status >= 400 && httpError.status < 500) {
    return body(httpError.status, typeof httpError.message === 'string' ? httpError.message : 'The request could not be read.');
  }
  const code = (exception as { code?: unknown } | null)?.code;
  if (code === 'ECONNREFUSED' || code === '57P01' || code === '3D000') {
    return body(503, 'The app database is unavailable; retry later.');
  }
  return body(500, 'Internal server error.');
}
