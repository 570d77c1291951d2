// The bitmap command group (bitops.c of Redis 7.0.15): command table entries.
import { specBuilder, type CommandSpec } from './context.ts';
import { bitcount, bitop, bitpos, getbit, setbit } from './bitops.ts';
import { bitfield, bitfieldRo } from './bitops-field.ts';

const spec = specBuilder('bitmap');
const K1: [number, number, number] = [1, 1, 1];

export const bitopsCommands: CommandSpec[] = [
  spec('setbit', 4, ['write', 'denyoom'], K1, '2.2.0', 'Sets or clears the bit at offset in the string value stored at key', setbit),
  spec('getbit', 3, ['readonly', 'fast'], K1, '2.2.0', 'Returns the bit value at offset in the string value stored at key', getbit),
  spec('bitcount', -2, ['readonly'], K1, '2.6.0', 'Count set bits in a string', bitcount),
  spec('bitpos', -3, ['readonly'], K1, '2.8.7', 'Find first bit set or clear in a string', bitpos),
  spec('bitop', -4, ['write', 'denyoom'], [2, -1, 1], '2.6.0', 'Perform bitwise operations between strings', bitop),
  spec('bitfield', -2, ['write', 'denyoom'], K1, '3.2.0', 'Perform arbitrary bitfield integer operations on strings', bitfield),
  spec('bitfield_ro', -2, ['readonly', 'fast'], K1, '6.0.0', 'Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD', bitfieldRo),
];
