export * from './fleet-sim';
export {
  SCENARIOS,
  SCENARIO_TIMING,
  isScenario,
  scenarioState,
  type ScenarioName,
  type ScenarioState,
} from './scenario';
export type { HostStats, SimAuthMode, VirtualHostSpec } from './virtual-host';
export { renderCollectOutput, SIM_KERNEL_RELEASE } from './collect-output';
