import { Writable } from 'node:stream';
import { createLogger } from '../logger/logger';
import { PinoTemporalLogger } from './runtime-logger';

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: createLogger({ service: 'billing', level: 'trace', destination }), lines };
}

describe('PinoTemporalLogger', () => {
  it('writes Temporal log entries as pino lines at the same level, with trace ids in house names', () => {
    const { logger, lines } = capturedLogger();

    new PinoTemporalLogger(logger).warn('Activity failed', {
      workflowId: 'dunning-inv_1',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
      [Symbol('timestamp')]: 1n,
    });

    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'Activity failed',
        service: 'billing',
        workflowId: 'dunning-inv_1',
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
      }),
    ]);
    expect(lines[0]).not.toHaveProperty('trace_id');
  });

  it('serializes an error given as `error` with its message and stack', () => {
    const { logger, lines } = capturedLogger();

    new PinoTemporalLogger(logger).error('Worker failed', { error: new Error('connection refused') });

    expect(lines[0]).toMatchObject({ level: 'error', err: { type: 'Error', message: 'connection refused' } });
    expect(lines[0]?.err).toHaveProperty('stack');
  });

  it('maps every Temporal level to the pino level of the same name', () => {
    const { logger, lines } = capturedLogger();
    const temporalLogger = new PinoTemporalLogger(logger);

    for (const level of ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const) temporalLogger.log(level, level);

    expect(lines.map((line) => line.level)).toEqual(['trace', 'debug', 'info', 'warn', 'error']);
  });
});
