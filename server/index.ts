export { buildApp, publicUrlOf } from './app.js';
export type { AppDeps, GivenDeps } from './appDeps.js';
export { loadConfig, defaults, options, ConfigError, type Config } from './config.js';
export { startServer, type RunningServer } from './server.js';
export { reasonCodes, type ReasonCode } from './domain/reasonCodes.js';
export { signRequest } from './signing/signRequest.js';
export { MockControl, MockControlError, type MockControlOptions, type ClockView, type JournalEntry, type IpnDelivery, type ScenarioRuleInput, type FaultInput } from './client/mockControl.js';
export { startMock, demoKeys, type StartedMock } from './testing/startMock.js';
