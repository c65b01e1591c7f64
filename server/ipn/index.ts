export * from './notifications.js';
export * from './snsEnvelope.js';
export * from './ipnConfig.js';
export * from './ipnService.js';
export { NotifyingStore } from './notifyingStore.js';
export { signingIdentity, signingIdentitySync, certificateFor, type SigningIdentity } from './signingIdentity.js';
