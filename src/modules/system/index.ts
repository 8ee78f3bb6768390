/** The system module's public face: machine checks (`orchard doctor`, `/ready`, the UI's warnings). */
export { probeDatabase } from './check-database.ts';
export { freePortFix, servedByOrchard } from './check-port.ts';
export {
  type CheckResult,
  type CheckStatus,
  type DatabaseHandle,
  type MachineCheck,
  type MachineContext,
  runChecks,
} from './machine-check.ts';
export { MACHINE_CHECKS } from './machine-checks.ts';
export { createMachineWarnings, type MachineWarnings } from './machine-warnings.ts';
export { openCheckDatabase, type StartDatabase } from './open-check-database.ts';
export { systemRoutes } from './routes.ts';
