export * from './fault-switches.js';
export * from './http-helpers.js';
export * from './push-sender.js';
export * from './admin-server.js';
