// The `cjson` library Redis embeds (Lua CJSON 2.1.0, deps/lua/src/lua_cjson.c): encode/decode with its
// number format (%.14g), sparse-array rule, escapes, error texts ("Expected X but found Y at character N").
import { gFormat, jstr, lauxlib, lstr, lua, NULL_POINTER, pushStr, setField, toStr, type LuaState } from '../vm.ts';

/** cjson's per-module configuration (json_config_t). */
interface Config {
  sparseConvert: boolean;
  sparseRatio: number;
  sparseSafe: number;
  encodeMaxDepth: number;
  decodeMaxDepth: number;
  encodeInvalid: number; // 0 off, 1 on, 2 null
  decodeInvalid: boolean;
  keepBuffer: boolean;
  precision: number;
}

/** cjson.null: one light userdata shared by every module table (lua_pushlightuserdata(l, NULL)). */
const JSON_NULL = NULL_POINTER;

function fail(L: LuaState, msg: string): never {
  lauxlib.luaL_error(L, lstr('%s'), lstr(msg));
  throw new Error('unreachable');
}

function typeName(L: LuaState, idx: number): string {
  return jstr(lua.lua_typename(L, lua.lua_type(L, idx)));
}

// ---- encode ----------------------------------------------------------------------------------------

const ESCAPES: string[] = [];
for (let c = 0; c < 256; c++) ESCAPES[c] = c < 32 || c === 127 ? `\\u${c.toString(16).padStart(4, '0')}` : String.fromCharCode(c);
Object.assign(ESCAPES, { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r', 34: '\\"', 47: '\\/', 92: '\\\\' });

function escapeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) out += ESCAPES[s.charCodeAt(i) & 0xff];
  return out + '"';
}

function encodeNumber(L: LuaState, cfg: Config, idx: number): string {
  const n = lua.lua_tonumber(L, idx);
  if (!Number.isFinite(n)) {
    if (cfg.encodeInvalid === 0) fail(L, `Cannot serialise ${typeName(L, idx)}: must not be NaN or Inf`);
    if (cfg.encodeInvalid === 2) return 'null';
    return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
  }
  return gFormat(n, cfg.precision);
}

/** lua_array_length: the array's size, or -1 when the table must be encoded as an object. */
function arrayLength(L: LuaState, cfg: Config): number {
  let max = 0;
  let items = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    if (lua.lua_type(L, -2) === lua.LUA_TNUMBER) {
      const k = lua.lua_tonumber(L, -2);
      if (Number.isInteger(k) && k >= 1) {
        if (k > max) max = k;
        items++;
        lua.lua_pop(L, 1);
        continue;
      }
    }
    lua.lua_pop(L, 2);
    return -1;
  }
  if (cfg.sparseRatio > 0 && max > items * cfg.sparseRatio && max > cfg.sparseSafe) {
    if (!cfg.sparseConvert) fail(L, `Cannot serialise ${typeName(L, -1)}: excessively sparse array`);
    return -1;
  }
  return max;
}

function encodeValue(L: LuaState, cfg: Config, depth: number): string {
  switch (lua.lua_type(L, -1)) {
    case lua.LUA_TSTRING:
      return escapeString(toStr(L, -1)!);
    case lua.LUA_TNUMBER:
      return encodeNumber(L, cfg, -1);
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, -1) ? 'true' : 'false';
    case lua.LUA_TNIL:
      return 'null';
    case lua.LUA_TLIGHTUSERDATA:
      if (lua.lua_touserdata(L, -1) === JSON_NULL) return 'null';
      break;
    case lua.LUA_TTABLE: {
      // json_check_encode_depth: the depth limit, and room on the Lua stack for the next level
      depth++;
      if (depth > cfg.encodeMaxDepth || !lua.lua_checkstack(L, 3)) fail(L, `Cannot serialise, excessive nesting (${depth})`);
      const len = arrayLength(L, cfg);
      if (len > 0) {
        const parts: string[] = [];
        for (let i = 1; i <= len; i++) {
          lua.lua_rawgeti(L, -1, i);
          parts.push(encodeValue(L, cfg, depth));
          lua.lua_pop(L, 1);
        }
        return `[${parts.join(',')}]`;
      }
      const parts: string[] = [];
      lua.lua_pushnil(L);
      while (lua.lua_next(L, -2) !== 0) {
        const kt = lua.lua_type(L, -2);
        let key: string;
        if (kt === lua.LUA_TSTRING) key = escapeString(toStr(L, -2)!);
        else if (kt === lua.LUA_TNUMBER) key = `"${encodeNumber(L, cfg, -2)}"`;
        else fail(L, `Cannot serialise ${typeName(L, -2)}: table key must be a number or string`);
        parts.push(`${key}:${encodeValue(L, cfg, depth)}`);
        lua.lua_pop(L, 1);
      }
      return `{${parts.join(',')}}`;
    }
  }
  return fail(L, `Cannot serialise ${typeName(L, -1)}: type not supported`);
}

// ---- decode ----------------------------------------------------------------------------------------

type Tok =
  | { t: 'T_OBJ_BEGIN' | 'T_OBJ_END' | 'T_ARR_BEGIN' | 'T_ARR_END' | 'T_COLON' | 'T_COMMA' | 'T_END' | 'T_NULL'; i: number }
  | { t: 'T_STRING'; i: number; s: string }
  | { t: 'T_NUMBER'; i: number; n: number }
  | { t: 'T_BOOLEAN'; i: number; b: boolean }
  | { t: 'T_ERROR'; i: number; err: string };

const SINGLE: Record<string, Tok['t']> = { '{': 'T_OBJ_BEGIN', '}': 'T_OBJ_END', '[': 'T_ARR_BEGIN', ']': 'T_ARR_END', ':': 'T_COLON', ',': 'T_COMMA' };
const SIMPLE_ESC: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
/** What fpconv_strtod (strtod) accepts at the front of the text. */
const STRTOD = /^[ \t\n\r\f\v]*[+-]?(0[xX][0-9a-fA-F]+|inf(inity)?|nan|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/i;

/** UTF-8 bytes of a code point, as a latin1 byte string. */
function utf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

class Parser {
  pos = 0;
  depth = 0;
  constructor(readonly L: LuaState, readonly cfg: Config, readonly s: string) {}

  private ch(i: number): string {
    return i < this.s.length ? this.s[i]! : '\0';
  }

  /** json_is_invalid_number: forms strtod takes but strict JSON does not. */
  private invalidNumber(): boolean {
    let p = this.pos;
    if (this.ch(p) === '+') return true;
    if (this.ch(p) === '-') p++;
    if (this.ch(p) === '0') return /[xX0-9]/.test(this.ch(p + 1));
    if (this.ch(p) <= '9') return false;
    const w = this.s.slice(p, p + 3).toLowerCase();
    return w === 'inf' || w === 'nan';
  }

  private hex4(at: number): number {
    const h = this.s.slice(at, at + 4);
    return /^[0-9a-fA-F]{4}$/.test(h) ? parseInt(h, 16) : -1;
  }

  private string(): Tok {
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.ch(this.pos);
      if (c === '"') break;
      if (c === '\0') return { t: 'T_ERROR', i: this.pos, err: 'unexpected end of string' };
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const e = this.ch(this.pos + 1);
      if (e === 'u') {
        // json_append_unicode_escape: a surrogate pair is joined; a lone one is an error
        let cp = this.hex4(this.pos + 2);
        let len = 6;
        if (cp >= 0xdc00 && cp <= 0xdfff) cp = -1;
        else if (cp >= 0xd800 && cp <= 0xdbff) {
          const lo = this.ch(this.pos + 6) === '\\' && this.ch(this.pos + 7) === 'u' ? this.hex4(this.pos + 8) : -1;
          cp = lo >= 0xdc00 && lo <= 0xdfff ? (((cp & 0x3ff) << 10) | (lo & 0x3ff)) + 0x10000 : -1;
          len = 12;
        }
        if (cp < 0) return { t: 'T_ERROR', i: this.pos, err: 'invalid unicode escape code' };
        out += utf8(cp);
        this.pos += len;
        continue;
      }
      const r = SIMPLE_ESC[e];
      if (r === undefined) return { t: 'T_ERROR', i: this.pos, err: 'invalid escape code' };
      out += r;
      this.pos += 2;
    }
    this.pos++;
    void start;
    return { t: 'T_STRING', i: start, s: out };
  }

  next(): Tok {
    while (' \t\r\n'.includes(this.ch(this.pos)) && this.pos < this.s.length) this.pos++;
    const i = this.pos;
    const c = this.ch(i);
    if (c === '\0') return { t: 'T_END', i };
    const single = SINGLE[c];
    if (single) {
      this.pos++;
      return { t: single, i } as Tok;
    }
    if (c === '"') return this.string();
    const numeric = c === '-' || (c >= '0' && c <= '9');
    if (numeric && !this.cfg.decodeInvalid && this.invalidNumber()) return { t: 'T_ERROR', i, err: 'invalid number' };
    if (numeric || (this.cfg.decodeInvalid && !/^(true|false|null)/.test(this.s.slice(i, i + 5)) && this.invalidNumber())) {
      const m = STRTOD.exec(this.s.slice(i));
      if (!m) return { t: 'T_ERROR', i, err: 'invalid number' };
      this.pos += m[0].length;
      const body = m[0].trim();
      const neg = body.startsWith('-');
      const abs = body.replace(/^[+-]/, '').toLowerCase();
      let n = abs.startsWith('0x') ? parseInt(abs, 16) : abs.startsWith('inf') ? Infinity : abs === 'nan' ? NaN : Number(abs);
      if (neg) n = -n;
      return { t: 'T_NUMBER', i, n };
    }
    for (const [w, tok] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.s.startsWith(w, i)) {
        this.pos += w.length;
        return tok === null ? { t: 'T_NULL', i } : { t: 'T_BOOLEAN', i, b: tok };
      }
    }
    return { t: 'T_ERROR', i, err: 'invalid token' };
  }

  throwParse(expected: string, tok: Tok): never {
    const found = tok.t === 'T_ERROR' ? tok.err : tok.t;
    return fail(this.L, `Expected ${expected} but found ${found} at character ${tok.i + 1}`);
  }

  private descend(tok: Tok): void {
    this.depth++;
    if (this.depth > this.cfg.decodeMaxDepth) fail(this.L, `Found too many nested data structures (${this.depth}) at character ${tok.i + 1}`);
    lauxlib.luaL_checkstack(this.L, 2, lstr('too many nested data structures'));
  }

  value(tok: Tok): void {
    const L = this.L;
    switch (tok.t) {
      case 'T_STRING':
        return pushStr(L, tok.s);
      case 'T_NUMBER':
        return lua.lua_pushnumber(L, tok.n);
      case 'T_BOOLEAN':
        return lua.lua_pushboolean(L, tok.b);
      case 'T_NULL':
        return lua.lua_pushlightuserdata(L, JSON_NULL);
      case 'T_OBJ_BEGIN':
        return this.object(tok);
      case 'T_ARR_BEGIN':
        return this.array(tok);
      default:
        return this.throwParse('value', tok);
    }
  }

  private object(open: Tok): void {
    this.descend(open);
    lua.lua_newtable(this.L);
    let tok = this.next();
    if (tok.t === 'T_OBJ_END') {
      this.depth--;
      return;
    }
    for (;;) {
      if (tok.t !== 'T_STRING') this.throwParse('object key string', tok);
      pushStr(this.L, tok.s);
      tok = this.next();
      if (tok.t !== 'T_COLON') this.throwParse('colon', tok);
      this.value(this.next());
      lua.lua_rawset(this.L, -3);
      tok = this.next();
      if (tok.t === 'T_OBJ_END') break;
      if (tok.t !== 'T_COMMA') this.throwParse('comma or object end', tok);
      tok = this.next();
    }
    this.depth--;
  }

  private array(open: Tok): void {
    this.descend(open);
    lua.lua_newtable(this.L);
    let tok = this.next();
    if (tok.t === 'T_ARR_END') {
      this.depth--;
      return;
    }
    for (let i = 1; ; i++) {
      this.value(tok);
      lua.lua_rawseti(this.L, -2, i);
      tok = this.next();
      if (tok.t === 'T_ARR_END') break;
      if (tok.t !== 'T_COMMA') this.throwParse('comma or array end', tok);
      tok = this.next();
    }
    this.depth--;
  }
}

// ---- configuration functions (json_enum_option / json_integer_option) ------------------------------

/** json_arg_init: at most n arguments, padded with nils so the pushed results follow them. */
function argsAtMost(L: LuaState, n: number): void {
  const top = lua.lua_gettop(L);
  lauxlib.luaL_argcheck(L, top <= n, n + 1, lstr(`found too many arguments`));
  lua.lua_settop(L, n);
}

function integerOption(L: LuaState, idx: number, get: () => number, set: (v: number) => void, min: number, max: number): void {
  if (!lua.lua_isnoneornil(L, idx)) {
    const v = lauxlib.luaL_checkinteger(L, idx);
    lauxlib.luaL_argcheck(L, min <= v && v <= max, 1, lstr(`expected integer between ${min} and ${max}`));
    set(v);
  }
  lua.lua_pushinteger(L, get());
}

function enumOption(L: LuaState, idx: number, get: () => number, set: (v: number) => void, options = ['off', 'on']): void {
  if (!lua.lua_isnoneornil(L, idx)) {
    if (lua.lua_isboolean(L, idx)) set(lua.lua_toboolean(L, idx) ? 1 : 0);
    else {
      const s = toStr(L, idx);
      const at = s === null ? -1 : options.indexOf(s);
      if (s === null) lauxlib.luaL_checklstring(L, idx);
      if (at < 0) lauxlib.luaL_argerror(L, idx, lstr(`invalid option '${s}'`));
      set(at);
    }
  }
  const v = get();
  if (v === 0 || v === 1) lua.lua_pushboolean(L, v === 1);
  else pushStr(L, options[v]!);
}

/** Pushes a cjson module table with its own configuration (lua_cjson_new). */
function pushModule(L: LuaState): void {
  const cfg: Config = {
    sparseConvert: false, sparseRatio: 2, sparseSafe: 10, encodeMaxDepth: 1000, decodeMaxDepth: 1000,
    encodeInvalid: 0, decodeInvalid: true, keepBuffer: true, precision: 14,
  };
  lua.lua_createtable(L, 0, 13);
  setField(L, -1, 'encode', (S) => {
    lauxlib.luaL_argcheck(S, lua.lua_gettop(S) === 1, 1, lstr('expected 1 argument'));
    pushStr(S, encodeValue(S, cfg, 0));
    return 1;
  });
  setField(L, -1, 'decode', (S) => {
    lauxlib.luaL_argcheck(S, lua.lua_gettop(S) === 1, 1, lstr('expected 1 argument'));
    lauxlib.luaL_checklstring(S, 1);
    const text = toStr(S, 1)!;
    if (text.length >= 2 && (text[0] === '\0' || text[1] === '\0')) fail(S, 'JSON parser does not support UTF-16 or UTF-32');
    const p = new Parser(S, cfg, text);
    p.value(p.next());
    const end = p.next();
    if (end.t !== 'T_END') p.throwParse('the end', end);
    return 1;
  });
  setField(L, -1, 'encode_sparse_array', (S) => {
    argsAtMost(S, 3);
    enumOption(S, 1, () => (cfg.sparseConvert ? 1 : 0), (v) => (cfg.sparseConvert = v === 1));
    integerOption(S, 2, () => cfg.sparseRatio, (v) => (cfg.sparseRatio = v), 0, 2147483647);
    integerOption(S, 3, () => cfg.sparseSafe, (v) => (cfg.sparseSafe = v), 0, 2147483647);
    return 3;
  });
  const intCfg = (name: string, key: 'encodeMaxDepth' | 'decodeMaxDepth' | 'precision', max: number) =>
    setField(L, -1, name, (S) => {
      argsAtMost(S, 1);
      integerOption(S, 1, () => cfg[key], (v) => (cfg[key] = v), 1, max);
      return 1;
    });
  intCfg('encode_max_depth', 'encodeMaxDepth', 2147483647);
  intCfg('decode_max_depth', 'decodeMaxDepth', 2147483647);
  intCfg('encode_number_precision', 'precision', 14);
  setField(L, -1, 'encode_keep_buffer', (S) => {
    argsAtMost(S, 1);
    enumOption(S, 1, () => (cfg.keepBuffer ? 1 : 0), (v) => (cfg.keepBuffer = v === 1));
    return 1;
  });
  setField(L, -1, 'encode_invalid_numbers', (S) => {
    argsAtMost(S, 1);
    enumOption(S, 1, () => cfg.encodeInvalid, (v) => (cfg.encodeInvalid = v), ['off', 'on', 'null']);
    return 1;
  });
  setField(L, -1, 'decode_invalid_numbers', (S) => {
    argsAtMost(S, 1);
    enumOption(S, 1, () => (cfg.decodeInvalid ? 1 : 0), (v) => (cfg.decodeInvalid = v === 1));
    return 1;
  });
  setField(L, -1, 'new', (S) => {
    pushModule(S);
    return 1;
  });
  pushStr(L, 'cjson');
  lua.lua_setfield(L, -2, lstr('_NAME'));
  pushStr(L, '2.1.0');
  lua.lua_setfield(L, -2, lstr('_VERSION'));
  lua.lua_pushlightuserdata(L, JSON_NULL);
  lua.lua_setfield(L, -2, lstr('null'));
}

export function openCjson(L: LuaState): void {
  pushModule(L);
  lua.lua_setglobal(L, lstr('cjson'));
}
