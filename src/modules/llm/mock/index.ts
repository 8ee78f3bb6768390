export { FAULT_HEADER, type Fault, parseFaultHeader } from './faults.ts';
export type { RecordedRequest } from './recorder.ts';
export { DEFAULT_REPLY, loadScenarioFile, parseScenario } from './scenario.ts';
export { Scenario, type ScenarioEntry } from './schemas.ts';
export { type MockLlm, type MockLlmOptions, startMockLlm } from './server.ts';
