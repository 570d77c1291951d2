// fengari ships no type declarations: its modules are used through these loose shapes (internal to
// engine/redis/scripting; nothing typed by fengari is exported from the engine).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare module 'fengari/src/lua.js' {
  const m: any;
  export default m;
}
declare module 'fengari/src/lauxlib.js' {
  const m: any;
  export default m;
}
declare module 'fengari/src/lbaselib.js' {
  const m: any;
  export default m;
}
declare module 'fengari/src/ltablib.js' {
  const m: any;
  export default m;
}
declare module 'fengari/src/lstrlib.js' {
  const m: any;
  export default m;
}
declare module 'fengari/src/lmathlib.js' {
  const m: any;
  export default m;
}
declare module 'fengari/src/lcorolib.js' {
  const m: any;
  export default m;
}
declare module 'fengari/src/lobject.js' {
  const m: any;
  export default m;
}
declare module 'fengari/src/ltable.js' {
  const m: any;
  export default m;
}
declare module 'fengari/src/ldebug.js' {
  const m: any;
  export default m;
}
declare module 'fengari/src/lstring.js' {
  const m: any;
  export default m;
}
declare module 'fengari/src/lualib.js' {
  const m: any;
  export default m;
}
declare module 'fengari/src/lstate.js' {
  const m: any;
  export default m;
}
declare module 'fengari/src/lopcodes.js' {
  const m: any;
  export default m;
}
declare module 'fengari/src/lvm.js' {
  const m: any;
  export default m;
}
declare module 'fengari/src/defs.js' {
  const m: any;
  export default m;
}
