export * from './types.js';
export * from './limits.js';
export * from './encoder.js';
export * from './commands.js';
export * from './decoder.js';
export * from './normalise.js';
export * from './codes.js';
export * from './rooms.js';
