export * from './aws';
export * from './backoff';
export * from './config';
export * from './errors';
export * from './event-handler';
export * from './money';
export * from './publisher';
export * from './task-handler';
