// The guest runtime (docs/guest-apps.md): importing it enables s.app(...) in scenarios (Node only).
import { registerGuestRuntime } from '../../scenarios/api/apps.ts';
import { GuestApp } from './host.ts';

registerGuestRuntime({ start: (run, name, opts, fn) => new GuestApp(run, name, opts, fn) });

export { GuestApp, replyText } from './host.ts';
export type { AppContext, AppOp, AppEndpoint } from './context.ts';
export type { AppFunction, AppHandle, AppOptions } from '../../scenarios/api/apps.ts';
export { moduleNextTo, noteAppFigures } from './report.ts';
