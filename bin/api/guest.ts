// `import 'sentinel-sim/guest'`: the guest runtime (docs/guest-apps.md). Importing it enables s.app(...)
// in scenarios — the user's own application code with unmodified ioredis / node-redis clients, on the
// simulated network and in virtual time (Node only: the app runs in a worker thread).
export * from '../guest/index.ts';
