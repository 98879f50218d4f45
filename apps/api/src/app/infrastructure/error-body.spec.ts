import { BadRequestException, ConflictException } from '@nestjs/common';
import { ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { QueryFailedError } from 'typeorm';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { toErrorBody } from './error-body';

describe('toErrorBody', () => {
  it('keeps the message and details of HTTP exceptions', () => {
    expect(toErrorBody(new BadRequestException({ message: 'x must be a UUID', details: [{ field: 'x', reason: 'must be a UUID' }] }))).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'x must be a UUID',
      details: [{ field: 'x', reason: 'must be a UUID' }],
    });
    expect(toErrorBody(new ConflictException('taken'))).toEqual({ statusCode: 409, error: 'Conflict', message: 'taken' });
  });

  it('maps delivery errors by type', () => {
    expect(toErrorBody(new DeliveryError(DeliveryFailureType.InvalidPackage, 'script 2.0 is empty', { problems: ['p'] }))).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'script 2.0 is empty',
      details: { type: 'InvalidPackage', problems: ['p'] },
    });
    expect(toErrorBody(new DeliveryError(DeliveryFailureType.EnvironmentNotFound, 'gone')).statusCode).toBe(404);
    expect(toErrorBody(new DeliveryError(DeliveryFailureType.ScriptFailed, 'failed')).statusCode).toBe(409);
  });

  it("answers 409 with the workflow's reason when a gate is refused or the workflow is closed", () => {
    const refused = new WorkflowUpdateFailedError(
      'Workflow Update failed',
      ApplicationFailure.create({ message: 'plan approval is not possible in phase assessment', type: 'WrongPhase' }),
    );
    expect(toErrorBody(refused)).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'plan approval is not possible in phase assessment',
      details: { type: 'WrongPhase' },
    });
    expect(toErrorBody(new WorkflowNotFoundError('workflow execution already completed', 'upgrade:SO-1', undefined)).statusCode).toBe(409);
    expect(toErrorBody(new WorkflowExecutionAlreadyStartedError('started', 'upgrade:SO-1', 'upgradeDelivery')).statusCode).toBe(409);
  });

  it('answers 503/504 when Temporal is unreachable or slow', () => {
    expect(toErrorBody(new ServiceError('Failed to start', { cause: Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }) })).statusCode).toBe(503);
    expect(toErrorBody(new WorkflowUpdateRPCTimeoutOrCancelledError('timeout')).statusCode).toBe(504);
  });

  it('turns unique violations into 409 with words a caller can act on', () => {
    const err = new QueryFailedError('INSERT …', [], Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'uq_environment_customer_name' }));
    expect(toErrorBody(err)).toEqual({ statusCode: 409, error: 'Conflict', message: 'This customer already has an environment with that name.' });
  });

  it('answers 503 when the app database lost a race or is saturated: the request may be retried', () => {
    for (const code of ['40001', '40P01', '53300', '57014']) {
      const err = new QueryFailedError('UPDATE …', [], Object.assign(new Error('could not serialize access'), { code }));
      expect(toErrorBody(err).statusCode).toBe(503);
    }
    expect(toErrorBody(new QueryFailedError('UPDATE …', [], Object.assign(new Error('syntax'), { code: '42601' }))).statusCode).toBe(500);
  });

  it('hides anything unexpected behind a generic 500', () => {
    const body = toErrorBody(new Error('connect to postgres://sdo:hunter2@db/sdo failed'));
    expect(body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error.' });
  });
});
