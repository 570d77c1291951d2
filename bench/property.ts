// Bench figures for this area (not measured yet).
import type { Figure } from './figures.ts';

export function propertyFigures(): Figure[] {
  return [];
}
