// The RESP gateway: real TCP in front of the simulation (Node only).
export { Gateway, startGateway, type GatewayNode, type GatewayOptions } from './gateway.ts';
export { GatewaySession } from './session.ts';
export { RealTimeDriver } from './clock.ts';
