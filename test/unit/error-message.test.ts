import { displayMessage, errorBody } from '../../src/api/errors';
import { DfError } from '../../src/domain/errors';
import { validationError } from '../../src/domain/validation';

describe('the top-level message of an error answer (what json-server clients show)', () => {
  it("is the error's message followed by each field's messages", () => {
    const error = validationError('Kafka Connect refused the config', {
      'connectorConfig.tasks.max': ['must be a positive integer'],
      'connectorConfig.topic': ['Missing required configuration "topic"', 'expected a topic name'],
    });
    expect(errorBody(error).message).toBe(
      'Kafka Connect refused the config; connectorConfig.tasks.max: must be a positive integer; ' +
        'connectorConfig.topic: Missing required configuration "topic", expected a topic name',
    );
  });

  it('keeps the error shape as it was, next to it', () => {
    const error = validationError('invalid list query', { _sort: ['no row has a field nope'] });
    expect(errorBody(error)).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'invalid list query',
        details: { fields: { _sort: ['no row has a field nope'] } },
      },
      message: 'invalid list query; _sort: no row has a field nope',
    });
  });

  it('does not repeat a field the message already names with its messages', () => {
    expect(
      displayMessage('invalid connect: name: expected a string', { fields: { name: ['expected a string'] } }),
    ).toBe('invalid connect: name: expected a string');
  });

  it('is the message alone when the details name no fields', () => {
    const error = new DfError('CONFLICT', 'a task with id a already exists', { details: { id: 'a' } });
    expect(errorBody(error).message).toBe('a task with id a already exists');
    expect(displayMessage('x', undefined)).toBe('x');
    expect(displayMessage('x', { fields: ['not', 'a', 'map'] })).toBe('x');
    expect(displayMessage('x', { fields: { a: [], b: [42] } })).toBe('x');
  });
});
