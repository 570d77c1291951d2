// The RESP gateway: real TCP in front of the simulation (Node only); `sentinel-sim serve` is command.ts.
export { Gateway, startGateway, type GatewayNode, type GatewayOptions } from './gateway.ts';
export { GatewaySession } from './session.ts';
export { RealTimeDriver } from './clock.ts';
export { clusterFromFiles, configsInDir, planServe, readConfigFile, type ServePlan, type ServeSources } from './plan.ts';
